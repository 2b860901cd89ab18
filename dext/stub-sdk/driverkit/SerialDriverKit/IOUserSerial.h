// Stub SDK: SerialDriverKit's IOUserSerial as iig would generate it, written from Apple's documentation
// (developer.apple.com/documentation/serialdriverkit/iouserserial): its header is not open source. Every
// method below is a remote call with its IOUserSerial_<Method>_Args macro; the Hw* and queue callbacks
// are what a subclass overrides (with IMPL), the notifications (RxDataAvailable, TxFreeSpaceAvailable,
// SetModemStatus) what it calls.
#pragma once
#include <DriverKit/IOBufferMemoryDescriptor.h>
#include <DriverKit/IOMemoryDescriptor.h>
#include <DriverKit/IOService.h>

class IOUserSerial : public IOService {
 public:
  typedef IOService super;
  static kern_return_t _Dispatch(IOUserSerial* self, const IORPC rpc);
  bool init() override;
  void free() override;

#define IOUserSerial_ConnectQueues_Args                                                             \
  IOBufferMemoryDescriptor **ifmd, IOMemoryDescriptor **rxqmd, IOMemoryDescriptor **txqmd,          \
      IOMemoryDescriptor *in_rxqmd, IOMemoryDescriptor *in_txqmd, uint32_t in_rxqoffset,            \
      uint32_t in_txqoffset, uint8_t in_rxqlogsz, uint8_t in_txqlogsz
  kern_return_t ConnectQueues(IOBufferMemoryDescriptor** ifmd, IOMemoryDescriptor** rxqmd,
                              IOMemoryDescriptor** txqmd, IOMemoryDescriptor* in_rxqmd,
                              IOMemoryDescriptor* in_txqmd, uint32_t in_rxqoffset, uint32_t in_txqoffset,
                              uint8_t in_rxqlogsz, uint8_t in_txqlogsz, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_DisconnectQueues_Args
  kern_return_t DisconnectQueues(OSDispatchMethod supermethod = nullptr);

#define IOUserSerial_TxDataAvailable_Args
  void TxDataAvailable(OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_TxFreeSpaceAvailable_Args
  void TxFreeSpaceAvailable(OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_RxDataAvailable_Args
  void RxDataAvailable(OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_RxFreeSpaceAvailable_Args
  void RxFreeSpaceAvailable(OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_SetModemStatus_Args bool cts, bool dsr, bool ri, bool dcd
  kern_return_t SetModemStatus(bool cts, bool dsr, bool ri, bool dcd, OSDispatchMethod supermethod = nullptr);

#define IOUserSerial_HwActivate_Args
  kern_return_t HwActivate(OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwDeactivate_Args
  kern_return_t HwDeactivate(OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwResetFIFO_Args bool tx, bool rx
  kern_return_t HwResetFIFO(bool tx, bool rx, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwSendBreak_Args bool sendBreak
  kern_return_t HwSendBreak(bool sendBreak, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwProgramUART_Args uint32_t baudRate, uint8_t nDataBits, uint8_t nHalfStopBits, uint8_t parity
  kern_return_t HwProgramUART(uint32_t baudRate, uint8_t nDataBits, uint8_t nHalfStopBits, uint8_t parity,
                              OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwProgramBaudRate_Args uint32_t baudRate
  kern_return_t HwProgramBaudRate(uint32_t baudRate, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwProgramMCR_Args bool dtr, bool rts
  kern_return_t HwProgramMCR(bool dtr, bool rts, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwGetModemStatus_Args bool *cts, bool *dsr, bool *ri, bool *dcd
  kern_return_t HwGetModemStatus(bool* cts, bool* dsr, bool* ri, bool* dcd, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwProgramLatencyTimer_Args uint32_t latency
  kern_return_t HwProgramLatencyTimer(uint32_t latency, OSDispatchMethod supermethod = nullptr);
#define IOUserSerial_HwProgramFlowControl_Args uint32_t arg, uint8_t xon, uint8_t xoff
  kern_return_t HwProgramFlowControl(uint32_t arg, uint8_t xon, uint8_t xoff, OSDispatchMethod supermethod = nullptr);
};
