// Stub SDK: IOMemoryDescriptor, from xnu's iokit/DriverKit/IOMemoryDescriptor.iig.
#pragma once
#include <DriverKit/IOMemoryMap.h>
#include <DriverKit/OSObject.h>

struct IOAddressSegment {
  uint64_t address;
  uint64_t length;
};

class IOMemoryDescriptor : public OSObject {
 public:
  typedef OSObject super;
  static kern_return_t _Dispatch(IOMemoryDescriptor* self, const IORPC rpc);
  bool init() override;
  void free() override;
  kern_return_t GetLength(uint64_t* returnLength);

#define IOMemoryDescriptor_CreateMapping_Args \
  uint64_t options, uint64_t address, uint64_t offset, uint64_t length, uint64_t alignment, IOMemoryMap **map
  kern_return_t CreateMapping(uint64_t options, uint64_t address, uint64_t offset, uint64_t length,
                              uint64_t alignment, IOMemoryMap** map, OSDispatchMethod supermethod = nullptr);
};
