// Stub SDK: the return codes the catbridge dext uses, with the values of xnu's iokit/IOKit/IOReturn.h
// (sys_iokit | sub_iokit_common | code), so a logged 0x%x reads the same as on a Mac.
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef int kern_return_t;
typedef kern_return_t IOReturn;

#define KERN_SUCCESS 0
#define kIOReturnSuccess 0
#define iokit_common_err(code) (static_cast<IOReturn>(0xe0000000u | (code)))
#define kIOReturnError iokit_common_err(0x2bc)
#define kIOReturnNoMemory iokit_common_err(0x2bd)
#define kIOReturnNoResources iokit_common_err(0x2be)
#define kIOReturnBadArgument iokit_common_err(0x2c2)
#define kIOReturnUnsupported iokit_common_err(0x2c7)
#define kIOReturnNotReady iokit_common_err(0x2d8)
#define kIOReturnNoDevice iokit_common_err(0x2c0)
#define kIOReturnNotFound iokit_common_err(0x2f0)
#define kIOReturnTimeout iokit_common_err(0x2d6)
#define kIOReturnNotWritable iokit_common_err(0x2e2)
