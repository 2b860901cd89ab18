// Stub SDK: IOUserClient as iig would generate it from xnu's iokit/DriverKit/IOUserClient.iig: the
// argument and dispatch structs (same members, same order, so a positional initialiser of a dispatch
// table is checked field by field) and the methods the dext uses. ExternalMethod is LOCALONLY: an
// ordinary virtual that a subclass overrides and calls with super::.
#pragma once
#include <DriverKit/IOBufferMemoryDescriptor.h>
#include <DriverKit/IOService.h>
#include <DriverKit/OSAction.h>
#include <DriverKit/OSData.h>

enum { kIOUserClientScalarArrayCountMax = 16 };
typedef uint64_t IOUserClientScalarArray[kIOUserClientScalarArrayCountMax];
enum { kIOUserClientAsyncReferenceCountMax = 16 };
typedef uint64_t IOUserClientAsyncReferenceArray[kIOUserClientAsyncReferenceCountMax];
enum { kIOUserClientAsyncArgumentsCountMax = 16 };
typedef uint64_t IOUserClientAsyncArgumentsArray[kIOUserClientAsyncArgumentsCountMax];
enum { kIOUserClientVariableStructureSize = 0xffffffff };

struct IOUserClientMethodArguments {
  uint64_t version;
  uint64_t selector;
  OSAction* completion;
  const uint64_t* scalarInput;
  uint32_t scalarInputCount;
  OSData* structureInput;
  IOMemoryDescriptor* structureInputDescriptor;
  uint64_t* scalarOutput;
  uint32_t scalarOutputCount;
  OSData* structureOutput;
  IOMemoryDescriptor* structureOutputDescriptor;
  uint64_t structureOutputMaximumSize;
  uint64_t __reserved[30];
};

typedef kern_return_t (*IOUserClientMethodFunction)(OSObject* target, void* reference,
                                                     IOUserClientMethodArguments* arguments);

struct IOUserClientMethodDispatch {
  IOUserClientMethodFunction function;
  uint32_t checkCompletionExists;
  uint32_t checkScalarInputCount;
  uint32_t checkStructureInputSize;
  uint32_t checkScalarOutputCount;
  uint32_t checkStructureOutputSize;
};

class IOUserClient : public IOService {
 public:
  typedef IOService super;
  static kern_return_t _Dispatch(IOUserClient* self, const IORPC rpc);
  bool init() override;
  void free() override;

  virtual kern_return_t ExternalMethod(uint64_t selector, IOUserClientMethodArguments* arguments,
                                       const IOUserClientMethodDispatch* dispatch, OSObject* target,
                                       void* reference);

#define IOUserClient_AsyncCompletion_Args \
  OSAction *action, IOReturn status, const IOUserClientAsyncArgumentsArray asyncData, uint32_t asyncDataCount
  void AsyncCompletion(OSAction* action, IOReturn status, const IOUserClientAsyncArgumentsArray asyncData,
                       uint32_t asyncDataCount, OSDispatchMethod supermethod = nullptr);
#define IOUserClient_CopyClientMemoryForType_Args uint64_t type, uint64_t *options, IOMemoryDescriptor **memory
  kern_return_t CopyClientMemoryForType(uint64_t type, uint64_t* options, IOMemoryDescriptor** memory,
                                        OSDispatchMethod supermethod = nullptr);
#define IOUserClient_CopyClientEntitlements_Args OSDictionary **entitlements
  kern_return_t CopyClientEntitlements(OSDictionary** entitlements, OSDispatchMethod supermethod = nullptr);
};
