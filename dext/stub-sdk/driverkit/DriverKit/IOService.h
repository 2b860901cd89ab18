// Stub SDK: IOService as iig would generate it from xnu's iokit/DriverKit/IOService.iig (the methods
// the catbridge dext overrides or calls; declarations rewritten by hand). LOCAL methods (Start, Stop,
// GetRegistryEntryID, Create) and kernel methods alike are remote calls: each takes the trailing
// supermethod and has its <Class>_<Method>_Args macro.
#pragma once
#include <DriverKit/IOKitKeys.h>
#include <DriverKit/OSCollections.h>
#include <DriverKit/OSObject.h>

class IOUserClient;
class OSAction;
typedef char IOServiceName[128];
typedef char IOPropertyName[128];
typedef char IORegistryPlaneName[128];

class IOService : public OSObject {
 public:
  typedef OSObject super;
  static kern_return_t _Dispatch(IOService* self, const IORPC rpc);
  bool init() override;
  void free() override;

#define IOService_Start_Args IOService *provider
  kern_return_t Start(IOService* provider, OSDispatchMethod supermethod = nullptr);
#define IOService_Stop_Args IOService *provider
  kern_return_t Stop(IOService* provider, OSDispatchMethod supermethod = nullptr);
#define IOService_GetRegistryEntryID_Args uint64_t *registryEntryID
  kern_return_t GetRegistryEntryID(uint64_t* registryEntryID, OSDispatchMethod supermethod = nullptr);
#define IOService_SetName_Args const IOServiceName name
  kern_return_t SetName(const IOServiceName name, OSDispatchMethod supermethod = nullptr);
#define IOService_RegisterService_Args
  kern_return_t RegisterService(OSDispatchMethod supermethod = nullptr);
#define IOService_CopyProperties_Args OSDictionary **properties
  kern_return_t CopyProperties(OSDictionary** properties, OSDispatchMethod supermethod = nullptr);
#define IOService_SetProperties_Args OSDictionary *properties
  kern_return_t SetProperties(OSDictionary* properties, OSDispatchMethod supermethod = nullptr);
#define IOService_NewUserClient_Args uint32_t type, IOUserClient **userClient
  kern_return_t NewUserClient(uint32_t type, IOUserClient** userClient, OSDispatchMethod supermethod = nullptr);
#define IOService_Create_Args IOService *provider, const IOPropertyName propertiesKey, IOService **result
  kern_return_t Create(IOService* provider, const IOPropertyName propertiesKey, IOService** result,
                       OSDispatchMethod supermethod = nullptr);
#define IOService_Terminate_Args uint64_t options
  kern_return_t Terminate(uint64_t options, OSDispatchMethod supermethod = nullptr);
#define IOService_CopyName_Args OSString **name
  kern_return_t CopyName(OSString** name, OSDispatchMethod supermethod = nullptr);

  IOService* GetProvider() const;
  const char* StringFromReturn(IOReturn retval);
};
