// CatbridgeDriver: the root service. Matches IOUserResources, keeps the port table
// (dext/core/port_table.hpp), creates each port as Apple's own serial driver does — IOService::Create from
// the "SerialPortProperties" personality sub-dictionary, SetProperties({IOTTYBaseName, IOTTYSuffix}) on
// the child, then RegisterService (research/dext.md §0.6, §4) — and rings the doorbell
// (dext/core/event_doorbell.hpp) on the user client that armed it.
//
// Lock order: driver lock, then a port's lock (FetchEvents). Ports call PortRaised only after releasing
// their own lock. Nothing calls into the kernel or the user client with the driver lock held.
//
// Built for real only by .github/workflows/macos-dext.yml; on Linux checked against the stub SDK
// (test/dext/stub-sdk.test.ts), which proves the calls are spelled and typed right, not that they work.
#include <os/log.h>

#include <DriverKit/IOLib.h>
#include <DriverKit/IOUserClient.h>
#include <DriverKit/OSCollections.h>

#include "CatbridgeDriver.h"
#include "CatbridgeSerialPort.h"
#include "CatbridgeUserClient.h"

#include "../core/event_doorbell.hpp"
#include "../core/port_table.hpp"
#include "../core/uc_protocol.h"

struct CatbridgeDriver_IVars {
    IOLock* lock;
    catbridge::dext::PortTable table;
    CatbridgeSerialPort* ports[CATBRIDGE_UC_MAX_PORTS];  // retained, indexed like the table's slots
    catbridge::dext::EventDoorbell bell;
    CatbridgeUserClient* bellOwner;  // retained while armed
    uint64_t sequence;
};

bool CatbridgeDriver::init()
{
    if (!super::init()) {
        return false;
    }
    ivars = IONewZero(CatbridgeDriver_IVars, 1);
    if (ivars == nullptr) {
        return false;
    }
    ivars->table = catbridge::dext::PortTable();
    ivars->bell = catbridge::dext::EventDoorbell();
    ivars->lock = IOLockAlloc();
    return ivars->lock != nullptr;
}

void CatbridgeDriver::free()
{
    if (ivars != nullptr) {
        for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS; i++) {
            OSSafeReleaseNULL(ivars->ports[i]);
        }
        OSSafeReleaseNULL(ivars->bellOwner);
        if (ivars->lock != nullptr) {
            IOLockFree(ivars->lock);
        }
    }
    IOSafeDeleteNULL(ivars, CatbridgeDriver_IVars, 1);
    super::free();
}

kern_return_t IMPL(CatbridgeDriver, Start)
{
    kern_return_t ret = Start(provider, SUPERDISPATCH);
    if (ret != kIOReturnSuccess) {
        return ret;
    }
    // Registered so that the addon finds it by name (IOServiceNameMatching(CATBRIDGE_DEXT_SERVICE_NAME))
    // and can open a user client. Ports appear when the Node client asks for them.
    ret = RegisterService();
    os_log(OS_LOG_DEFAULT, "catbridge: driver started (0x%x)", ret);
    return ret;
}

kern_return_t IMPL(CatbridgeDriver, Stop)
{
    CatbridgeSerialPort* ports[CATBRIDGE_UC_MAX_PORTS] = {};
    IOLockLock(ivars->lock);
    for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS; i++) {
        ports[i] = ivars->ports[i];
        ivars->ports[i] = nullptr;
    }
    CatbridgeUserClient* owner = ivars->bellOwner;
    ivars->bellOwner = nullptr;
    ivars->bell.Disarm();
    IOLockUnlock(ivars->lock);
    for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS; i++) {
        if (ports[i] != nullptr) {
            ports[i]->SetOwner(nullptr, 0);
            OSSafeReleaseNULL(ports[i]);
        }
    }
    OSSafeReleaseNULL(owner);
    return Stop(provider, SUPERDISPATCH);
}

kern_return_t IMPL(CatbridgeDriver, NewUserClient)
{
    (void)type;  // one kind of user client
    IOService* service = nullptr;
    kern_return_t ret = Create(this, "UserClientProperties", &service);
    if (ret != kIOReturnSuccess || service == nullptr) {
        os_log(OS_LOG_DEFAULT, "catbridge: cannot create the user client 0x%x", ret);
        return ret != kIOReturnSuccess ? ret : kIOReturnError;
    }
    *userClient = OSDynamicCast(IOUserClient, service);
    if (*userClient == nullptr) {
        service->release();
        return kIOReturnError;
    }
    return kIOReturnSuccess;
}

// ---- ports ------------------------------------------------------------------------------------------

kern_return_t CatbridgeDriver::CreatePort(const char* suffix, uint32_t suffixBytes, uint32_t* portId,
                                          uint64_t* registryId)
{
    uint32_t id = 0;
    IOLockLock(ivars->lock);
    const catbridge::dext::CreateResult result = ivars->table.Create(suffix, suffixBytes, &id);
    IOLockUnlock(ivars->lock);
    switch (result) {
    case catbridge::dext::CreateResult::kBadName:
        return kIOReturnBadArgument;
    case catbridge::dext::CreateResult::kFull:
        return kIOReturnNoResources;
    case catbridge::dext::CreateResult::kAdopted: {
        // Node came back: the port never went away; its client sees the lines rise again.
        CatbridgeSerialPort* port = CopyPort(id);
        kern_return_t ret = kIOReturnNotFound;
        if (port != nullptr) {
            port->HostPresent(true);
            ret = port->GetRegistryEntryID(registryId);
            port->release();
        }
        *portId = id;
        return ret;
    }
    case catbridge::dext::CreateResult::kCreated:
        break;
    }

    IOService* service = nullptr;
    CatbridgeSerialPort* port = nullptr;
    kern_return_t ret = Create(this, "SerialPortProperties", &service);
    if (ret == kIOReturnSuccess) {
        port = OSDynamicCast(CatbridgeSerialPort, service);
        ret = port != nullptr ? kIOReturnSuccess : kIOReturnError;
    }
    if (ret == kIOReturnSuccess) {
        ret = NameThePort(port, suffix);
    }
    if (ret == kIOReturnSuccess) {
        port->SetOwner(this, id);
        port->HostPresent(true);
        ret = port->RegisterService();
    }
    if (ret == kIOReturnSuccess) {
        ret = port->GetRegistryEntryID(registryId);
    }
    if (ret != kIOReturnSuccess) {
        // 0xe00002c7 (unsupported) here means the serial family is not loaded: no IOUserSerial support.
        os_log(OS_LOG_DEFAULT, "catbridge: creating port %{public}s failed 0x%x%{public}s", suffix, ret,
               ret == kIOReturnUnsupported ? " (is the serial family loaded? see dext/README.md)" : "");
        if (service != nullptr) {
            service->Terminate(0);
            service->release();
        }
        IOLockLock(ivars->lock);
        ivars->table.Destroy(id);
        IOLockUnlock(ivars->lock);
        return ret;
    }
    // After registration too: the BSD client has read them by now (or will, asynchronously).
    os_log(OS_LOG_DEFAULT, "catbridge: port %{public}s%{public}s registered (0x%llx), names at the top level: %{public}s",
           CATBRIDGE_TTY_BASE_NAME, suffix, static_cast<unsigned long long>(*registryId),
           port->TtyNamesTook(suffix) ? "yes" : "NO");
    IOLockLock(ivars->lock);
    ivars->ports[id & 0xffu] = port;  // keeps Create's reference
    IOLockUnlock(ivars->lock);
    *portId = id;
    return kIOReturnSuccess;
}

// IOTTYBaseName/IOTTYSuffix must be top-level properties of the port before it registers: the BSD client
// reads them when it attaches (research/dext.md §0.6). Set from the parent, as Apple's 16X50 driver does;
// but xnu's IOService::SetProperties_Impl, called from a dext, first offers the dictionary to the kernel
// class and, if that declines, merges it into IOUserServiceProperties (iokit/Kernel/IOUserServer.cpp)
// where the BSD client does not look. So read them back, and if they did not take, let the port set them
// on itself from its own context, as VSPDriver does. If that fails too the device keeps the personality's
// default name and Node reports the real one (calloutPath): logged, not fatal.
kern_return_t CatbridgeDriver::NameThePort(CatbridgeSerialPort* port, const char* suffix)
{
    OSDictionary* names = OSDictionary::withCapacity(2);
    OSString* base = OSString::withCString(CATBRIDGE_TTY_BASE_NAME);
    OSString* name = OSString::withCString(suffix);
    kern_return_t ret = (names != nullptr && base != nullptr && name != nullptr) ? kIOReturnSuccess : kIOReturnNoMemory;
    if (ret == kIOReturnSuccess) {
        names->setObject("IOTTYBaseName", base);
        names->setObject("IOTTYSuffix", name);
        ret = port->SetProperties(names);
    }
    OSSafeReleaseNULL(names);
    OSSafeReleaseNULL(base);
    OSSafeReleaseNULL(name);
    if (ret != kIOReturnSuccess) {
        return ret;
    }
    if (port->TtyNamesTook(suffix)) {
        return kIOReturnSuccess;
    }
    os_log(OS_LOG_DEFAULT, "catbridge: port %{public}s: names set from the parent are not top-level properties; "
           "the port sets them itself", suffix);
    const kern_return_t own = port->SetTtyNames(suffix);
    if (own != kIOReturnSuccess || !port->TtyNamesTook(suffix)) {
        os_log(OS_LOG_DEFAULT, "catbridge: port %{public}s: IOTTYSuffix did not take (0x%x); the device keeps its "
               "default name", suffix, own);
    }
    return kIOReturnSuccess;
}

kern_return_t CatbridgeDriver::DestroyPort(uint32_t portId)
{
    CatbridgeSerialPort* port = nullptr;
    IOLockLock(ivars->lock);
    const uint32_t slot = ivars->table.Find(portId);
    if (slot != catbridge::dext::PortTable::kNone) {
        port = ivars->ports[slot];
        ivars->ports[slot] = nullptr;
        ivars->table.Destroy(portId);
    }
    IOLockUnlock(ivars->lock);
    if (port == nullptr) {
        return kIOReturnNotFound;
    }
    port->SetOwner(nullptr, 0);
    // The BSD client goes with it; the name is free again once it has cleaned up (dext.md §8.1).
    port->Terminate(0);
    port->release();
    return kIOReturnSuccess;
}

CatbridgeSerialPort* CatbridgeDriver::CopyPort(uint32_t portId)
{
    CatbridgeSerialPort* port = nullptr;
    IOLockLock(ivars->lock);
    const uint32_t slot = ivars->table.Find(portId);
    if (slot != catbridge::dext::PortTable::kNone && ivars->ports[slot] != nullptr) {
        port = ivars->ports[slot];
        port->retain();
    }
    IOLockUnlock(ivars->lock);
    return port;
}

// ---- the doorbell -----------------------------------------------------------------------------------

void CatbridgeDriver::ArmEvents(CatbridgeUserClient* client)
{
    IOLockLock(ivars->lock);
    bool pending = false;
    for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS; i++) {
        if (ivars->ports[i] != nullptr && ivars->ports[i]->PendingEvents() != 0) {
            pending = true;
        }
    }
    CatbridgeUserClient* previous = ivars->bellOwner;
    client->retain();
    ivars->bellOwner = client;
    const bool ring = ivars->bell.Arm(pending);
    IOLockUnlock(ivars->lock);
    OSSafeReleaseNULL(previous);
    if (ring) {
        Ring(client);
    }
}

uint32_t CatbridgeDriver::FetchEvents(uint8_t* out, uint32_t outLen)
{
    uint32_t count = 0;
    const uint32_t capacity = outLen / sizeof(catbridge_uc_port_events);
    IOLockLock(ivars->lock);
    ivars->bell.Fetching();  // before the snapshot: anything raised from here on rings again
    for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS && count < capacity; i++) {
        if (ivars->ports[i] == nullptr) {
            continue;
        }
        const uint32_t bits = ivars->ports[i]->TakeEvents();
        if (bits == 0) {
            continue;
        }
        catbridge_uc_port_events entry;
        entry.portId = ivars->table.IdOf(i);
        entry.bits = bits;
        __builtin_memcpy(out + count * sizeof(entry), &entry, sizeof(entry));
        count++;
    }
    IOLockUnlock(ivars->lock);
    return count;
}

void CatbridgeDriver::ClientGone(CatbridgeUserClient* client)
{
    CatbridgeSerialPort* ports[CATBRIDGE_UC_MAX_PORTS] = {};
    IOLockLock(ivars->lock);
    if (ivars->bellOwner != client) {
        IOLockUnlock(ivars->lock);
        return;
    }
    ivars->bellOwner = nullptr;
    ivars->bell.Disarm();
    for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS; i++) {
        ports[i] = ivars->ports[i];
        if (ports[i] != nullptr) {
            ports[i]->retain();
        }
    }
    IOLockUnlock(ivars->lock);
    // Node is gone: every port's app sees CTS/DSR/DCD drop, like a radio switched off (dext.md §7.2).
    for (uint32_t i = 0; i < CATBRIDGE_UC_MAX_PORTS; i++) {
        if (ports[i] != nullptr) {
            ports[i]->HostPresent(false);
            ports[i]->release();
        }
    }
    client->release();
}

void CatbridgeDriver::PortRaised()
{
    IOLockLock(ivars->lock);
    CatbridgeUserClient* owner = nullptr;
    if (ivars->bell.Raised()) {
        owner = ivars->bellOwner;
        if (owner != nullptr) {
            owner->retain();
        }
    }
    IOLockUnlock(ivars->lock);
    if (owner != nullptr) {
        Ring(owner);
        owner->release();
    }
}

void CatbridgeDriver::Ring(CatbridgeUserClient* client)
{
    IOLockLock(ivars->lock);
    const uint64_t sequence = ++ivars->sequence;
    IOLockUnlock(ivars->lock);
    client->Ring(sequence);
}
