// CatbridgeSerialPort: thin DriverKit glue over PortCore (dext/core/port_core.hpp). Every callback takes
// the port lock, forwards to the core, unlocks, then performs what the core asked for (Fulfil): the
// kernel notifications (never under the lock: they are IPC and may re-enter, research/dext.md §4.1) and
// the doorbell through the root driver.
//
// Built for real only by .github/workflows/macos-dext.yml; on Linux checked against the stub SDK
// (test/dext/stub-sdk.test.ts), which proves the calls are spelled and typed right, not that they work.
// The ring logic it forwards to is compiled and tested on Linux (test/dext/host.test.ts).
#include <os/log.h>

#include <DriverKit/IOBufferMemoryDescriptor.h>
#include <DriverKit/IOLib.h>
#include <DriverKit/IOMemoryDescriptor.h>
#include <DriverKit/IOMemoryMap.h>
#include <DriverKit/OSCollections.h>
#include <SerialDriverKit/SerialPortInterface.h>

#include "CatbridgeDriver.h"
#include "CatbridgeSerialPort.h"

#include "../core/port_core.hpp"

using Spi = driverkit::serial::SerialPortInterface;
using PortCore = catbridge::dext::PortCore<Spi>;

// Apple's struct must have the layout the core was proven on; this fails the build if it does not.
static_assert(catbridge::dext::SpiLayoutCheck<Spi>::kOk, "SerialPortInterface layout");

struct CatbridgeSerialPort_IVars {
    IOLock* lock;
    PortCore core;
    IOMemoryMap* ifMap;
    IOMemoryMap* rxMap;
    IOMemoryMap* txMap;
    CatbridgeDriver* driver;  // the provider; outlives its ports
    uint32_t portId;
};

bool CatbridgeSerialPort::init()
{
    if (!super::init()) {
        return false;
    }
    ivars = IONewZero(CatbridgeSerialPort_IVars, 1);
    if (ivars == nullptr) {
        return false;
    }
    // PortCore is trivially copyable: give the zeroed storage its real initial state.
    ivars->core = PortCore();
    ivars->lock = IOLockAlloc();
    return ivars->lock != nullptr;
}

void CatbridgeSerialPort::free()
{
    if (ivars != nullptr) {
        ReleaseMaps();
        if (ivars->lock != nullptr) {
            IOLockFree(ivars->lock);
        }
    }
    IOSafeDeleteNULL(ivars, CatbridgeSerialPort_IVars, 1);
    super::free();
}

kern_return_t IMPL(CatbridgeSerialPort, Start)
{
    kern_return_t ret = Start(provider, SUPERDISPATCH);
    if (ret != kIOReturnSuccess) {
        os_log(OS_LOG_DEFAULT, "catbridge: port Start failed 0x%x", ret);
        return ret;
    }
    // Registration is the parent's job, after it has set IOTTYBaseName/IOTTYSuffix (dext.md §0.6).
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, Stop)
{
    IOLockLock(ivars->lock);
    ivars->core.DisconnectQueues();
    ivars->driver = nullptr;
    IOLockUnlock(ivars->lock);
    ReleaseMaps();
    return Stop(provider, SUPERDISPATCH);
}

void CatbridgeSerialPort::ReleaseMaps()
{
    OSSafeReleaseNULL(ivars->ifMap);
    OSSafeReleaseNULL(ivars->rxMap);
    OSSafeReleaseNULL(ivars->txMap);
}

void CatbridgeSerialPort::SetOwner(CatbridgeDriver* driver, uint32_t portId)
{
    IOLockLock(ivars->lock);
    ivars->driver = driver;
    ivars->portId = portId;
    IOLockUnlock(ivars->lock);
}

// ---- the rings --------------------------------------------------------------------------------------

// Called by the family when an app opens the tty. Never called by us (research/dext.md §0.3, §1 row 2):
// super allocates and attaches the queues; we map what it returns, validate, and keep the maps.
kern_return_t IMPL(CatbridgeSerialPort, ConnectQueues)
{
    IOLockLock(ivars->lock);
    ivars->core.DisconnectQueues();  // a reopen without DisconnectQueues must not keep stale maps
    IOLockUnlock(ivars->lock);
    ReleaseMaps();

    kern_return_t ret = ConnectQueues(ifmd, rxqmd, txqmd, in_rxqmd, in_txqmd, in_rxqoffset, in_txqoffset,
                                      in_rxqlogsz, in_txqlogsz, SUPERDISPATCH);
    if (ret != kIOReturnSuccess) {
        os_log(OS_LOG_DEFAULT, "catbridge: super::ConnectQueues failed 0x%x", ret);
        return ret;
    }
    if (ifmd == nullptr || *ifmd == nullptr || rxqmd == nullptr || *rxqmd == nullptr || txqmd == nullptr ||
        *txqmd == nullptr) {
        RefuseQueues(kIOReturnBadArgument, "super returned no queues");
        return kIOReturnBadArgument;
    }
    // The out-parameters belong to the caller: map them, never release them.
    IOMemoryMap* ifMap = nullptr;
    IOMemoryMap* rxMap = nullptr;
    IOMemoryMap* txMap = nullptr;
    ret = (*ifmd)->CreateMapping(0, 0, 0, 0, 0, &ifMap);
    if (ret == kIOReturnSuccess) {
        ret = (*rxqmd)->CreateMapping(0, 0, 0, 0, 0, &rxMap);
    }
    if (ret == kIOReturnSuccess) {
        ret = (*txqmd)->CreateMapping(0, 0, 0, 0, 0, &txMap);
    }
    if (ret != kIOReturnSuccess) {
        OSSafeReleaseNULL(ifMap);
        OSSafeReleaseNULL(rxMap);
        OSSafeReleaseNULL(txMap);
        RefuseQueues(ret, "CreateMapping failed");
        return ret;
    }

    IOLockLock(ivars->lock);
    const catbridge::dext::AttachStatus status = ivars->core.ConnectQueues(
        reinterpret_cast<void*>(ifMap->GetAddress()), static_cast<size_t>(ifMap->GetLength()),
        reinterpret_cast<uint8_t*>(rxMap->GetAddress()), static_cast<size_t>(rxMap->GetLength()),
        reinterpret_cast<uint8_t*>(txMap->GetAddress()), static_cast<size_t>(txMap->GetLength()));
    uint32_t rxSize = 0;
    uint32_t txSize = 0;
    if (status == catbridge::dext::AttachStatus::kOk) {
        rxSize = ivars->core.ring().rx().size;
        txSize = ivars->core.ring().tx().size;
        ivars->ifMap = ifMap;
        ivars->rxMap = rxMap;
        ivars->txMap = txMap;
    }
    IOLockUnlock(ivars->lock);

    if (status != catbridge::dext::AttachStatus::kOk) {
        OSSafeReleaseNULL(ifMap);
        OSSafeReleaseNULL(rxMap);
        OSSafeReleaseNULL(txMap);
        RefuseQueues(kIOReturnBadArgument, catbridge::dext::AttachStatusName(status));
        return kIOReturnBadArgument;
    }
    // Once per open, never on the data path: what the family gave us (research/dext.md §11.19).
    os_log(OS_LOG_DEFAULT, "catbridge: queues connected: rx ring %u of %llu mapped bytes, tx ring %u of %llu",
           rxSize, static_cast<unsigned long long>(rxMap->GetLength()), txSize,
           static_cast<unsigned long long>(txMap->GetLength()));
    return kIOReturnSuccess;
}

// super::ConnectQueues succeeded but we cannot use its queues: undo it, so the kernel side is not left
// connected to a driver that will never move its indices (issue 16, defect 5).
void CatbridgeSerialPort::RefuseQueues(kern_return_t why, const char* what)
{
    os_log(OS_LOG_DEFAULT, "catbridge: refusing the queues (%{public}s, 0x%x)", what, why);
    const kern_return_t undone = DisconnectQueues(SUPERDISPATCH);
    if (undone != kIOReturnSuccess) {
        os_log(OS_LOG_DEFAULT, "catbridge: super::DisconnectQueues failed 0x%x", undone);
    }
}

kern_return_t IMPL(CatbridgeSerialPort, DisconnectQueues)
{
    IOLockLock(ivars->lock);
    ivars->core.DisconnectQueues();
    IOLockUnlock(ivars->lock);
    ReleaseMaps();
    return DisconnectQueues(SUPERDISPATCH);
}

void IMPL(CatbridgeSerialPort, TxDataAvailable)
{
    IOLockLock(ivars->lock);
    ivars->core.TxDataAvailable();
    Fulfil();
}

void IMPL(CatbridgeSerialPort, RxFreeSpaceAvailable)
{
    IOLockLock(ivars->lock);
    ivars->core.RxFreeSpaceAvailable();
    Fulfil();
}

// ---- line state -------------------------------------------------------------------------------------

kern_return_t IMPL(CatbridgeSerialPort, HwActivate)
{
    kern_return_t ret = HwActivate(SUPERDISPATCH);  // the docs ask for super first
    if (ret != kIOReturnSuccess) {
        return ret;
    }
    IOLockLock(ivars->lock);
    ivars->core.Activate();
    Fulfil();  // pushes the current modem lines with SetModemStatus
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwDeactivate)
{
    IOLockLock(ivars->lock);
    ivars->core.Deactivate();
    Fulfil();
    return HwDeactivate(SUPERDISPATCH);
}

kern_return_t IMPL(CatbridgeSerialPort, HwResetFIFO)
{
    IOLockLock(ivars->lock);
    ivars->core.ResetFifo(tx, rx);
    Fulfil();
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwSendBreak)
{
    IOLockLock(ivars->lock);
    ivars->core.SendBreak(sendBreak);
    Fulfil();
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwProgramUART)
{
    IOLockLock(ivars->lock);
    ivars->core.ProgramUart(baudRate, nDataBits, nHalfStopBits, parity);
    Fulfil();
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwProgramBaudRate)
{
    IOLockLock(ivars->lock);
    ivars->core.ProgramBaudRate(baudRate);
    Fulfil();
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwProgramMCR)
{
    IOLockLock(ivars->lock);
    ivars->core.ProgramMcr(dtr, rts);
    Fulfil();
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwGetModemStatus)
{
    IOLockLock(ivars->lock);
    ivars->core.GetModemStatus(cts, dsr, ri, dcd);
    IOLockUnlock(ivars->lock);
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwProgramLatencyTimer)
{
    IOLockLock(ivars->lock);
    ivars->core.ProgramLatencyTimer(latency);
    IOLockUnlock(ivars->lock);
    return kIOReturnSuccess;
}

kern_return_t IMPL(CatbridgeSerialPort, HwProgramFlowControl)
{
    IOLockLock(ivars->lock);
    ivars->core.ProgramFlowControl(arg, xon, xoff);
    Fulfil();
    return kIOReturnSuccess;
}

// ---- the Node client's calls ------------------------------------------------------------------------

uint32_t CatbridgeSerialPort::HostRead(uint8_t* dst, uint32_t max)
{
    IOLockLock(ivars->lock);
    const uint32_t n = ivars->core.Read(dst, max);
    Fulfil();  // TxFreeSpaceAvailable after advancing txCI
    return n;
}

uint32_t CatbridgeSerialPort::HostWrite(const uint8_t* src, uint32_t len)
{
    IOLockLock(ivars->lock);
    const uint32_t n = ivars->core.Write(src, len);
    Fulfil();  // RxDataAvailable after publishing rxPI
    return n;
}

void CatbridgeSerialPort::HostSetModemLines(uint32_t value, uint32_t mask)
{
    IOLockLock(ivars->lock);
    ivars->core.SetModemLines(value, mask);
    Fulfil();
}

void CatbridgeSerialPort::HostPresent(bool present)
{
    IOLockLock(ivars->lock);
    ivars->core.SetHostPresent(present);
    Fulfil();
}

void CatbridgeSerialPort::CopyState(uint8_t* out, uint32_t outLen)
{
    catbridge_uc_port_state state;
    IOLockLock(ivars->lock);
    ivars->core.Snapshot(&state);
    IOLockUnlock(ivars->lock);
    const uint32_t n = outLen < sizeof(state) ? outLen : static_cast<uint32_t>(sizeof(state));
    __builtin_memcpy(out, &state, n);
}

uint32_t CatbridgeSerialPort::TakeEvents()
{
    IOLockLock(ivars->lock);
    const uint32_t bits = ivars->core.TakeEvents();
    IOLockUnlock(ivars->lock);
    return bits;
}

uint32_t CatbridgeSerialPort::PendingEvents()
{
    IOLockLock(ivars->lock);
    const uint32_t bits = ivars->core.pendingEvents();
    IOLockUnlock(ivars->lock);
    return bits;
}

// ---- tty names (CatbridgeDriver::NameThePort) ------------------------------------------------------

bool CatbridgeSerialPort::TtyNamesTook(const char* suffix)
{
    OSDictionary* properties = nullptr;
    if (CopyProperties(&properties) != kIOReturnSuccess || properties == nullptr) {
        return false;
    }
    const OSString* base = OSDynamicCast(OSString, properties->getObject("IOTTYBaseName"));
    const OSString* name = OSDynamicCast(OSString, properties->getObject("IOTTYSuffix"));
    const bool took = base != nullptr && name != nullptr && base->isEqualTo(CATBRIDGE_TTY_BASE_NAME) &&
                      name->isEqualTo(suffix);
    properties->release();
    return took;
}

// As VSPDriver names its ports: this service's own properties, amended and written back by itself.
kern_return_t CatbridgeSerialPort::SetTtyNames(const char* suffix)
{
    OSDictionary* properties = nullptr;
    kern_return_t ret = CopyProperties(&properties);
    if (ret != kIOReturnSuccess || properties == nullptr) {
        return ret != kIOReturnSuccess ? ret : kIOReturnError;
    }
    OSString* base = OSString::withCString(CATBRIDGE_TTY_BASE_NAME);
    OSString* name = OSString::withCString(suffix);
    if (base != nullptr && name != nullptr) {
        properties->setObject("IOTTYBaseName", base);
        properties->setObject("IOTTYSuffix", name);
        ret = SetProperties(properties);
    } else {
        ret = kIOReturnNoMemory;
    }
    OSSafeReleaseNULL(base);
    OSSafeReleaseNULL(name);
    properties->release();
    return ret;
}

// Entered with the lock held; returns with it released.
void CatbridgeSerialPort::Fulfil()
{
    const catbridge::dext::Obligations o = ivars->core.TakeObligations();
    CatbridgeDriver* driver = ivars->driver;
    if (driver != nullptr) {
        driver->retain();
    }
    IOLockUnlock(ivars->lock);

    if (o.txFreeSpace) {
        TxFreeSpaceAvailable();
    }
    if (o.rxData) {
        RxDataAvailable();
    }
    if (o.modemStatus) {
        SetModemStatus(o.lines.cts, o.lines.dsr, o.lines.ri, o.lines.dcd);
    }
    if (driver != nullptr) {
        if (o.events) {
            driver->PortRaised();
        }
        driver->release();
    }
}
