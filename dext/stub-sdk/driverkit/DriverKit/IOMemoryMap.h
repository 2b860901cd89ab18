// Stub SDK: IOMemoryMap, from xnu's iokit/DriverKit/IOMemoryMap.iig.
#pragma once
#include <DriverKit/OSObject.h>

class IOMemoryMap : public OSObject {
 public:
  typedef OSObject super;
  static kern_return_t _Dispatch(IOMemoryMap* self, const IORPC rpc);
  bool init() override;
  void free() override;
  uint64_t GetAddress();
  uint64_t GetLength();
  uint64_t GetOffset();
};
