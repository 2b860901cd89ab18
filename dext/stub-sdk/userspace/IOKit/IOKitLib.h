// Stub SDK (user space): IOKit.framework's IOKitLib.h, the calls and constants the addon uses, declared
// from xnu's iokit/IOKit/IOKitLib.h, IOReturn.h and IOMessage.h (values as there). Declarations only;
// test/dext/fixtures/fake_kernel.cc defines them for the Linux test.
#pragma once
#include <CoreFoundation/CoreFoundation.h>
#include <dispatch/dispatch.h>
#include <mach/mach.h>
#include <stddef.h>
#include <stdint.h>

typedef kern_return_t IOReturn;
typedef uint32_t IOOptionBits;
typedef mach_port_t io_object_t;
typedef io_object_t io_connect_t;
typedef io_object_t io_iterator_t;
typedef io_object_t io_registry_entry_t;
typedef io_object_t io_service_t;
typedef char io_name_t[128];
typedef uint64_t io_user_reference_t;
typedef struct IONotificationPort* IONotificationPortRef;
#define IO_OBJECT_NULL (static_cast<io_object_t>(0))

#define kIOReturnSuccess 0
#define kIOReturnNotFound (static_cast<IOReturn>(0xe00002f0))
#define kIOReturnUnsupported (static_cast<IOReturn>(0xe00002c7))
#define kIOReturnBadArgument (static_cast<IOReturn>(0xe00002c2))
#define kIOReturnNotReady (static_cast<IOReturn>(0xe00002d8))
#define kIOMessageServiceIsTerminated (static_cast<uint32_t>(0xe0000010))

#define kIOServicePlane "IOService"
#define kIOGeneralInterest "IOGeneralInterest"

enum { kOSAsyncRef64Count = 8 };
enum { kIOAsyncReservedIndex = 0, kIOAsyncReservedCount };
enum { kIOAsyncCalloutFuncIndex = kIOAsyncReservedCount, kIOAsyncCalloutRefconIndex, kIOAsyncCalloutCount };

typedef void (*IOAsyncCallback)(void* refcon, IOReturn result, void** args, uint32_t numArgs);
typedef void (*IOServiceInterestCallback)(void* refcon, io_service_t service, uint32_t messageType,
                                          void* messageArgument);

extern "C" {
CFMutableDictionaryRef IOServiceMatching(const char* name);
CFMutableDictionaryRef IOServiceNameMatching(const char* name);
CFMutableDictionaryRef IORegistryEntryIDMatching(uint64_t entryID);
io_service_t IOServiceGetMatchingService(mach_port_t mainPort, CFDictionaryRef matching);
kern_return_t IOServiceGetMatchingServices(mach_port_t mainPort, CFDictionaryRef matching, io_iterator_t* existing);
kern_return_t IOServiceOpen(io_service_t service, task_port_t owningTask, uint32_t type, io_connect_t* connect);
kern_return_t IOServiceClose(io_connect_t connect);
kern_return_t IOObjectRelease(io_object_t object);
boolean_t IOObjectConformsTo(io_object_t object, const io_name_t className);
io_object_t IOIteratorNext(io_iterator_t iterator);
kern_return_t IORegistryEntryGetParentEntry(io_registry_entry_t entry, const io_name_t plane,
                                            io_registry_entry_t* parent);
kern_return_t IORegistryEntryGetChildIterator(io_registry_entry_t entry, const io_name_t plane,
                                              io_iterator_t* iterator);
CFTypeRef IORegistryEntryCreateCFProperty(io_registry_entry_t entry, CFStringRef key, CFAllocatorRef allocator,
                                          IOOptionBits options);

kern_return_t IOConnectCallMethod(mach_port_t connection, uint32_t selector, const uint64_t* input,
                                  uint32_t inputCnt, const void* inputStruct, size_t inputStructCnt,
                                  uint64_t* output, uint32_t* outputCnt, void* outputStruct,
                                  size_t* outputStructCnt);
kern_return_t IOConnectCallScalarMethod(mach_port_t connection, uint32_t selector, const uint64_t* input,
                                        uint32_t inputCnt, uint64_t* output, uint32_t* outputCnt);
kern_return_t IOConnectCallAsyncScalarMethod(mach_port_t connection, uint32_t selector, mach_port_t wake_port,
                                             uint64_t* reference, uint32_t referenceCnt, const uint64_t* input,
                                             uint32_t inputCnt, uint64_t* output, uint32_t* outputCnt);

IONotificationPortRef IONotificationPortCreate(mach_port_t mainPort);
void IONotificationPortDestroy(IONotificationPortRef notify);
mach_port_t IONotificationPortGetMachPort(IONotificationPortRef notify);
void IONotificationPortSetDispatchQueue(IONotificationPortRef notify, dispatch_queue_t queue);
kern_return_t IOServiceAddInterestNotification(IONotificationPortRef notifyPort, io_service_t service,
                                               const io_name_t interestType, IOServiceInterestCallback callback,
                                               void* refCon, io_object_t* notification);
}
