// Stub SDK: OSData as DriverKit's OSData.h declares it (the members the dext uses).
#pragma once
#include <DriverKit/OSObject.h>

class OSData : public OSObject {
 public:
  static OSData* withBytes(const void* bytes, size_t numBytes);
  static OSData* withCapacity(uint32_t capacity);
  size_t getLength() const;
  const void* getBytesNoCopy() const;
  const void* getBytesNoCopy(size_t start, size_t numBytes) const;
  bool appendBytes(const void* bytes, size_t numBytes);
};
