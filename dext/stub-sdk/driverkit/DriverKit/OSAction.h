// Stub SDK: OSAction, from xnu's iokit/DriverKit/OSAction.iig (the members a completion's holder uses).
#pragma once
#include <DriverKit/OSObject.h>

class OSAction : public OSObject {
 public:
  typedef OSObject super;
  static kern_return_t _Dispatch(OSAction* self, const IORPC rpc);
  void* GetReference();
};
