// Stub SDK: IOBufferMemoryDescriptor, from xnu's iokit/DriverKit/IOBufferMemoryDescriptor.iig.
#pragma once
#include <DriverKit/IOMemoryDescriptor.h>

class IOBufferMemoryDescriptor : public IOMemoryDescriptor {
 public:
  typedef IOMemoryDescriptor super;
  static kern_return_t _Dispatch(IOBufferMemoryDescriptor* self, const IORPC rpc);
  static kern_return_t Create(uint64_t options, uint64_t capacity, uint64_t alignment,
                              IOBufferMemoryDescriptor** memory);
  bool init() override;
  void free() override;
  kern_return_t GetAddressRange(IOAddressSegment* range);

#define IOBufferMemoryDescriptor_SetLength_Args uint64_t length
  kern_return_t SetLength(uint64_t length, OSDispatchMethod supermethod = nullptr);
};
