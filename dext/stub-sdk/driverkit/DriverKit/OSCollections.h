// Stub SDK: the OS containers the dext uses (DriverKit's OSCollections.h includes them all), declared
// from Apple's documentation.
#pragma once
#include <DriverKit/OSData.h>
#include <DriverKit/OSObject.h>

class OSString : public OSObject {
 public:
  static OSString* withCString(const char* cString);
  const char* getCStringNoCopy() const;
  size_t getLength() const;
  bool isEqualTo(const char* cString) const;
  using OSMetaClassBase::isEqualTo;
};

class OSNumber : public OSObject {
 public:
  static OSNumber* withNumber(uint64_t value, size_t numberOfBits);
  uint64_t unsigned64BitValue() const;
};

class OSDictionary : public OSObject {
 public:
  static OSDictionary* withCapacity(uint32_t capacity);
  uint32_t getCount() const;
  bool setObject(const char* key, const OSMetaClassBase* anObject);
  bool setObject(const OSString* key, const OSMetaClassBase* anObject);
  OSObject* getObject(const char* key) const;
  OSObject* getObject(const OSString* key) const;
  void removeObject(const char* key);
  bool merge(const OSDictionary* otherDictionary);
};

class OSArray : public OSObject {
 public:
  static OSArray* withCapacity(uint32_t capacity);
  uint32_t getCount() const;
  OSObject* getObject(uint32_t index) const;
  bool setObject(const OSMetaClassBase* anObject);
};
