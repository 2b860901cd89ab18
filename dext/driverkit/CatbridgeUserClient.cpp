// CatbridgeUserClient: the selectors of dext/core/uc_protocol.h (described in dext/PROTOCOL.md). The
// dispatch table lets IOUserClient::ExternalMethod check argument counts and sizes before Handle runs;
// Handle only unpacks, forwards to the driver or a port, and packs the answer.
//
// Built for real only by .github/workflows/macos-dext.yml; on Linux checked against the stub SDK
// (test/dext/stub-sdk.test.ts), which proves the calls are spelled and typed right, not that they work.
#include <os/log.h>

#include <DriverKit/IOLib.h>
#include <DriverKit/IOUserClient.h>
#include <DriverKit/OSAction.h>
#include <DriverKit/OSCollections.h>
#include <DriverKit/OSData.h>

#include "CatbridgeDriver.h"
#include "CatbridgeSerialPort.h"
#include "CatbridgeUserClient.h"

#include "../core/uc_protocol.h"

struct CatbridgeUserClient_IVars {
    CatbridgeDriver* driver;  // retained
    OSAction* action;         // the doorbell's completion, retained
    IOLock* lock;             // guards action between ArmEvents and Ring
};

bool CatbridgeUserClient::init()
{
    if (!super::init()) {
        return false;
    }
    ivars = IONewZero(CatbridgeUserClient_IVars, 1);
    if (ivars == nullptr) {
        return false;
    }
    ivars->lock = IOLockAlloc();
    return ivars->lock != nullptr;
}

void CatbridgeUserClient::free()
{
    if (ivars != nullptr) {
        OSSafeReleaseNULL(ivars->action);
        OSSafeReleaseNULL(ivars->driver);
        if (ivars->lock != nullptr) {
            IOLockFree(ivars->lock);
        }
    }
    IOSafeDeleteNULL(ivars, CatbridgeUserClient_IVars, 1);
    super::free();
}

kern_return_t IMPL(CatbridgeUserClient, Start)
{
    kern_return_t ret = Start(provider, SUPERDISPATCH);
    if (ret != kIOReturnSuccess) {
        return ret;
    }
    ivars->driver = OSDynamicCast(CatbridgeDriver, provider);
    if (ivars->driver == nullptr) {
        return kIOReturnNoDevice;
    }
    ivars->driver->retain();
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeUserClient, Stop)
{
    // Node closed the connection or died: the ports stay, with their lines dropped.
    if (ivars->driver != nullptr) {
        ivars->driver->ClientGone(this);
    }
    IOLockLock(ivars->lock);
    OSAction* action = ivars->action;
    ivars->action = nullptr;
    IOLockUnlock(ivars->lock);
    OSSafeReleaseNULL(action);
    return Stop(provider, SUPERDISPATCH);
}

void CatbridgeUserClient::Ring(uint64_t sequence)
{
    IOLockLock(ivars->lock);
    OSAction* action = ivars->action;
    if (action != nullptr) {
        action->retain();
    }
    IOLockUnlock(ivars->lock);
    if (action == nullptr) {
        return;
    }
    IOUserClientAsyncArgumentsArray data = {};
    data[0] = sequence;
    AsyncCompletion(action, kIOReturnSuccess, data, 1);
    action->release();
}

// A variable-size structure answer: `count` items of `itemSize` bytes. The count always goes back as the
// one scalar output, because xnu updates the caller's structure size only when an OSData came back
// (IOUserUserClient::externalMethod, iokit/Kernel/IOUserServer.cpp): with nothing to return the caller
// would otherwise see its own buffer size and read that much garbage (issue 16). Nothing to return is
// no OSData, never an empty one.
static kern_return_t Reply(IOUserClientMethodArguments* arguments, const void* items, uint32_t count, uint32_t itemSize)
{
    arguments->scalarOutput[0] = count;
    arguments->scalarOutputCount = 1;
    if (count == 0) {
        return kIOReturnSuccess;
    }
    arguments->structureOutput = OSData::withBytes(items, static_cast<size_t>(count) * itemSize);
    return arguments->structureOutput != nullptr ? kIOReturnSuccess : kIOReturnNoMemory;
}

// Every selector goes through here; `reference` carries the selector.
static kern_return_t Dispatch(OSObject* target, void* reference, IOUserClientMethodArguments* arguments)
{
    CatbridgeUserClient* self = OSDynamicCast(CatbridgeUserClient, target);
    if (self == nullptr) {
        return kIOReturnBadArgument;
    }
    return self->Handle(reinterpret_cast<uintptr_t>(reference), arguments);
}

// function, checkCompletionExists, scalar in, struct in, scalar out, struct out
static const IOUserClientMethodDispatch kMethods[CATBRIDGE_UC_SELECTOR_COUNT] = {
    /* GET_INFO */ {&Dispatch, false, 0, 0, 4, 0},
    /* CREATE_PORT */ {&Dispatch, false, 0, sizeof(catbridge_uc_create_port), 2, 0},
    /* DESTROY_PORT */ {&Dispatch, false, 1, 0, 0, 0},
    /* READ */ {&Dispatch, false, 2, 0, 1, kIOUserClientVariableStructureSize},
    /* WRITE */ {&Dispatch, false, 1, kIOUserClientVariableStructureSize, 1, 0},
    /* SET_MODEM_LINES */ {&Dispatch, false, 3, 0, 0, 0},
    /* GET_PORT_STATE */ {&Dispatch, false, 1, 0, 0, sizeof(catbridge_uc_port_state)},
    /* ARM_EVENTS */ {&Dispatch, true, 0, 0, 0, 0},
    /* FETCH_EVENTS */ {&Dispatch, false, 0, 0, 1, kIOUserClientVariableStructureSize},
};

kern_return_t CatbridgeUserClient::ExternalMethod(uint64_t selector,
                                                  IOUserClientMethodArguments* arguments,
                                                  const IOUserClientMethodDispatch* dispatch,
                                                  OSObject* target,
                                                  void* reference)
{
    // Node's calls arrive with no dispatch of their own: ours replaces it, with ourselves as target.
    (void)dispatch;
    (void)target;
    (void)reference;
    if (selector >= CATBRIDGE_UC_SELECTOR_COUNT) {
        return kIOReturnUnsupported;
    }
    return super::ExternalMethod(selector, arguments, &kMethods[selector], this,
                                 reinterpret_cast<void*>(static_cast<uintptr_t>(selector)));
}

kern_return_t CatbridgeUserClient::Handle(uint64_t selector, IOUserClientMethodArguments* arguments)
{
    CatbridgeDriver* driver = ivars->driver;
    if (driver == nullptr) {
        return kIOReturnNotReady;
    }
    switch (selector) {
    case CATBRIDGE_UC_GET_INFO:
        arguments->scalarOutput[0] = CATBRIDGE_UC_PROTOCOL_MAJOR;
        arguments->scalarOutput[1] = CATBRIDGE_UC_PROTOCOL_MINOR;
        arguments->scalarOutput[2] = CATBRIDGE_UC_MAX_PORTS;
        arguments->scalarOutput[3] = CATBRIDGE_UC_MAX_IO;
        arguments->scalarOutputCount = 4;
        return kIOReturnSuccess;

    case CATBRIDGE_UC_CREATE_PORT: {
        if (arguments->structureInput == nullptr ||
            arguments->structureInput->getLength() != sizeof(catbridge_uc_create_port)) {
            return kIOReturnBadArgument;
        }
        catbridge_uc_create_port request;
        __builtin_memcpy(&request, arguments->structureInput->getBytesNoCopy(), sizeof(request));
        uint32_t id = 0;
        uint64_t registryId = 0;
        const kern_return_t ret = driver->CreatePort(request.suffix, sizeof(request.suffix), &id, &registryId);
        if (ret == kIOReturnSuccess) {
            arguments->scalarOutput[0] = id;
            arguments->scalarOutput[1] = registryId;  // the addon finds the port's BSD client under it
            arguments->scalarOutputCount = 2;
        }
        return ret;
    }

    case CATBRIDGE_UC_DESTROY_PORT:
        return driver->DestroyPort(static_cast<uint32_t>(arguments->scalarInput[0]));

    case CATBRIDGE_UC_READ: {
        CatbridgeSerialPort* port = driver->CopyPort(static_cast<uint32_t>(arguments->scalarInput[0]));
        if (port == nullptr) {
            return kIOReturnNotFound;
        }
        uint64_t max = arguments->scalarInput[1];
        if (max > CATBRIDGE_UC_MAX_IO) {
            max = CATBRIDGE_UC_MAX_IO;
        }
        if (arguments->structureOutputMaximumSize != 0 && max > arguments->structureOutputMaximumSize) {
            max = arguments->structureOutputMaximumSize;
        }
        uint8_t buffer[CATBRIDGE_UC_MAX_IO];
        const uint32_t n = port->HostRead(buffer, static_cast<uint32_t>(max));
        port->release();
        return Reply(arguments, buffer, n, 1);
    }

    case CATBRIDGE_UC_WRITE: {
        const OSData* input = arguments->structureInput;
        if (input == nullptr || input->getLength() > CATBRIDGE_UC_MAX_IO) {
            return kIOReturnBadArgument;
        }
        CatbridgeSerialPort* port = driver->CopyPort(static_cast<uint32_t>(arguments->scalarInput[0]));
        if (port == nullptr) {
            return kIOReturnNotFound;
        }
        const uint32_t accepted = port->HostWrite(static_cast<const uint8_t*>(input->getBytesNoCopy()),
                                                  static_cast<uint32_t>(input->getLength()));
        port->release();
        arguments->scalarOutput[0] = accepted;
        arguments->scalarOutputCount = 1;
        return kIOReturnSuccess;
    }

    case CATBRIDGE_UC_SET_MODEM_LINES: {
        CatbridgeSerialPort* port = driver->CopyPort(static_cast<uint32_t>(arguments->scalarInput[0]));
        if (port == nullptr) {
            return kIOReturnNotFound;
        }
        port->HostSetModemLines(static_cast<uint32_t>(arguments->scalarInput[1]),
                                static_cast<uint32_t>(arguments->scalarInput[2]));
        port->release();
        return kIOReturnSuccess;
    }

    case CATBRIDGE_UC_GET_PORT_STATE: {
        CatbridgeSerialPort* port = driver->CopyPort(static_cast<uint32_t>(arguments->scalarInput[0]));
        if (port == nullptr) {
            return kIOReturnNotFound;
        }
        catbridge_uc_port_state state;
        port->CopyState(reinterpret_cast<uint8_t*>(&state), sizeof(state));
        port->release();
        arguments->structureOutput = OSData::withBytes(&state, sizeof(state));
        return arguments->structureOutput != nullptr ? kIOReturnSuccess : kIOReturnNoMemory;
    }

    case CATBRIDGE_UC_ARM_EVENTS: {
        // The completion is valid only during this call: keep our own reference (dext.md §7.1).
        OSAction* action = arguments->completion;
        action->retain();
        IOLockLock(ivars->lock);
        OSAction* previous = ivars->action;
        ivars->action = action;
        IOLockUnlock(ivars->lock);
        OSSafeReleaseNULL(previous);
        driver->ArmEvents(this);
        return kIOReturnSuccess;
    }

    case CATBRIDGE_UC_FETCH_EVENTS: {
        catbridge_uc_port_events events[CATBRIDGE_UC_MAX_PORTS];
        const uint32_t count = driver->FetchEvents(reinterpret_cast<uint8_t*>(events), sizeof(events));
        return Reply(arguments, events, count, static_cast<uint32_t>(sizeof(events[0])));
    }

    default:
        return kIOReturnUnsupported;
    }
}
