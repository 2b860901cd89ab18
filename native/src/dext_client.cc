// The catbridge dext's user client, from Node (macOS; on Linux built against stub headers and a fake
// kernel by test/dext/addon-stub.test.ts).
//
//   new DextClient()            IOServiceGetMatchingService(name CatbridgeDriver) + IOServiceOpen;
//                               checks the protocol's major version (GetInfo)
//   createPort(name) → id       CreatePort (adopts a port of that name if it exists); remembers the
//                               port's registry entry ID, which the dext returns beside the id
//   destroyPort(id)
//   read(id, max) → Buffer      Read: bytes the app wrote (TX ring); empty when none
//   write(id, bytes) → n        Write: n < bytes.length is back-pressure, keep the rest
//   setModemLines(id, value, mask)
//   portState(id) → object      GetPortState
//   fetchEvents() → [{portId, bits}]
//   start(onDoorbell, onTerminated)
//                               ArmEvents with an IONotificationPort on a private dispatch queue, and an
//                               interest notification on the driver's service; both are bounced to the
//                               event loop with a uv_async_t (coalesced), where onDoorbell() runs (JS then
//                               calls fetchEvents()) or, once, onTerminated() when the dext has stopped
//   calloutPath(id) → string|null  the /dev/cu.* of the IOSerialBSDClient under that port's registry
//                               entry; null until the kernel has registered it
//   close()                     idempotent; no callback runs afterwards
//
// Structure answers: xnu updates the caller's structure output size only when the dext returned an
// OSData (IOUserUserClient::externalMethod, iokit/Kernel/IOUserServer.cpp), so an empty answer would
// leave it as passed. Read and FetchEvents therefore take their count from a scalar the dext always
// sets, and use min(count, size) (issue 16; test/dext/addon-stub.test.ts).
//
// Synchronous IOConnectCallMethod calls are short Mach IPC round trips to the dext; they run on the JS
// thread like any other small syscall.
#include "dext_client.h"

#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>
#include <dispatch/dispatch.h>
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "uc_protocol.h"

namespace catbridge {
namespace {

// MACH_PORT_NULL selects the default main port on every macOS (kIOMainPortDefault needs 12+).
constexpr mach_port_t kMainPort = MACH_PORT_NULL;

std::string KernError(const char* what, kern_return_t kr) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%08x", static_cast<unsigned>(kr));
  return std::string(what) + " failed: " + mach_error_string(kr) + " (" + code + ")";
}

// State shared with the notification queue; freed after the uv handle has closed.
struct Doorbell {
  uv_async_t async;
  class DextClient* owner;
  std::atomic<bool> rang{false};
  std::atomic<bool> terminated{false};
};

// The serial family answers CreatePort with kIOReturnUnsupported when it is not loaded (dext/README.md).
constexpr kern_return_t kSerialFamilyMissing = static_cast<kern_return_t>(0xe00002c7);

class DextClient : public Napi::ObjectWrap<DextClient> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "DextClient",
                       {
                           InstanceMethod<&DextClient::Info>("info"),
                           InstanceMethod<&DextClient::CreatePort>("createPort"),
                           InstanceMethod<&DextClient::DestroyPort>("destroyPort"),
                           InstanceMethod<&DextClient::Read>("read"),
                           InstanceMethod<&DextClient::Write>("write"),
                           InstanceMethod<&DextClient::SetModemLines>("setModemLines"),
                           InstanceMethod<&DextClient::PortState>("portState"),
                           InstanceMethod<&DextClient::FetchEvents>("fetchEvents"),
                           InstanceMethod<&DextClient::Start>("start"),
                           InstanceMethod<&DextClient::CalloutPath>("calloutPath"),
                           InstanceMethod<&DextClient::Close>("close"),
                       });
  }

  explicit DextClient(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DextClient>(info) {
    Napi::Env env = info.Env();
    io_service_t service = IOServiceGetMatchingService(kMainPort,
                                                       IOServiceNameMatching(CATBRIDGE_DEXT_SERVICE_NAME));
    if (service == IO_OBJECT_NULL) {
      Napi::Error::New(env, "the catbridge driver is not running (no " CATBRIDGE_DEXT_SERVICE_NAME
                            " in the IORegistry); install and activate it, see dext/README.md")
          .ThrowAsJavaScriptException();
      return;
    }
    const kern_return_t kr = IOServiceOpen(service, mach_task_self(), 0, &connection_);
    service_ = service;  // kept for the termination notification (start)
    if (kr != KERN_SUCCESS) {
      connection_ = IO_OBJECT_NULL;
      Napi::Error::New(env, KernError("opening the catbridge driver (IOServiceOpen)", kr))
          .ThrowAsJavaScriptException();
      return;
    }
    uint64_t out[4] = {};
    uint32_t count = 4;
    const kern_return_t info_kr = IOConnectCallScalarMethod(connection_, CATBRIDGE_UC_GET_INFO, nullptr, 0, out, &count);
    if (info_kr != KERN_SUCCESS || count < 4 || out[0] != CATBRIDGE_UC_PROTOCOL_MAJOR) {
      const std::string why = info_kr != KERN_SUCCESS
                                  ? KernError("GetInfo", info_kr)
                                  : "the catbridge driver speaks protocol " + std::to_string(out[0]) +
                                        ", this addon " + std::to_string(CATBRIDGE_UC_PROTOCOL_MAJOR) +
                                        "; install the driver that came with this catbridge";
      CloseConnection();
      Napi::Error::New(env, why).ThrowAsJavaScriptException();
      return;
    }
    info_[0] = out[0];
    info_[1] = out[1];
    info_[2] = out[2];
    info_[3] = out[3];
  }

  ~DextClient() override { Shutdown(); }

 private:
  bool Open(Napi::Env env) {
    if (connection_ != IO_OBJECT_NULL) return true;
    Napi::Error::New(env, "the dext client is closed").ThrowAsJavaScriptException();
    return false;
  }

  static bool PortArg(const Napi::CallbackInfo& info, size_t i, uint64_t* out) {
    if (info.Length() <= i || !info[i].IsNumber()) {
      Napi::TypeError::New(info.Env(), "port id (number) expected").ThrowAsJavaScriptException();
      return false;
    }
    *out = static_cast<uint64_t>(info[i].As<Napi::Number>().Int64Value());
    return true;
  }

  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("major", static_cast<double>(info_[0]));
    o.Set("minor", static_cast<double>(info_[1]));
    o.Set("maxPorts", static_cast<double>(info_[2]));
    o.Set("maxIo", static_cast<double>(info_[3]));
    return o;
  }

  Napi::Value CreatePort(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Open(env)) return env.Undefined();
    if (info.Length() < 1 || !info[0].IsString()) {
      Napi::TypeError::New(env, "createPort(name: string)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    catbridge_uc_create_port request{};
    if (name.empty() || name.size() >= sizeof(request.suffix)) {
      Napi::RangeError::New(env, "a dext port name is 1 to 31 characters").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    std::memcpy(request.suffix, name.data(), name.size());
    uint64_t out[2] = {};
    uint32_t count = 2;
    const kern_return_t kr = IOConnectCallMethod(connection_, CATBRIDGE_UC_CREATE_PORT, nullptr, 0, &request,
                                                 sizeof(request), out, &count, nullptr, nullptr);
    if (kr != KERN_SUCCESS) {
      std::string why = KernError(("creating port " + name).c_str(), kr);
      if (kr == kSerialFamilyMissing) {
        why += "; the macOS serial family is not loaded (no IOUserSerial support): see dext/README.md";
      }
      Napi::Error::New(env, why).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (count != 2) {
      Napi::Error::New(env, "CreatePort: the driver returned no registry entry ID (protocol mismatch)")
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    registry_ids_[out[0]] = out[1];
    return Napi::Number::New(env, static_cast<double>(out[0]));
  }

  Napi::Value DestroyPort(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t id = 0;
    if (!Open(env) || !PortArg(info, 0, &id)) return env.Undefined();
    registry_ids_.erase(id);
    const kern_return_t kr = IOConnectCallScalarMethod(connection_, CATBRIDGE_UC_DESTROY_PORT, &id, 1, nullptr, nullptr);
    if (kr != KERN_SUCCESS) Napi::Error::New(env, KernError("DestroyPort", kr)).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t in[2] = {};
    if (!Open(env) || !PortArg(info, 0, &in[0])) return env.Undefined();
    in[1] = CATBRIDGE_UC_MAX_IO;
    if (info.Length() > 1 && info[1].IsNumber()) {
      const int64_t max = info[1].As<Napi::Number>().Int64Value();
      if (max > 0 && max < CATBRIDGE_UC_MAX_IO) in[1] = static_cast<uint64_t>(max);
    }
    uint8_t buffer[CATBRIDGE_UC_MAX_IO];
    size_t size = static_cast<size_t>(in[1]);
    uint64_t n = 0;
    uint32_t count = 1;
    const kern_return_t kr = IOConnectCallMethod(connection_, CATBRIDGE_UC_READ, in, 2, nullptr, 0, &n, &count,
                                                 buffer, &size);
    if (kr != KERN_SUCCESS || count != 1) {
      Napi::Error::New(env, KernError("Read", kr != KERN_SUCCESS ? kr : kIOReturnBadArgument))
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    // The count says how many bytes are real; size alone is the buffer's size when nothing came back.
    return Napi::Buffer<uint8_t>::Copy(env, buffer, std::min<size_t>(static_cast<size_t>(n), size));
  }

  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t id = 0;
    if (!Open(env) || !PortArg(info, 0, &id)) return env.Undefined();
    if (info.Length() < 2 || !info[1].IsTypedArray() ||
        info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      Napi::TypeError::New(env, "write(id, bytes: Uint8Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    auto bytes = info[1].As<Napi::Uint8Array>();
    const size_t len = bytes.ElementLength() < CATBRIDGE_UC_MAX_IO ? bytes.ElementLength() : CATBRIDGE_UC_MAX_IO;
    if (len == 0) return Napi::Number::New(env, 0);
    uint64_t accepted = 0;
    uint32_t count = 1;
    const kern_return_t kr = IOConnectCallMethod(connection_, CATBRIDGE_UC_WRITE, &id, 1, bytes.Data(), len,
                                                 &accepted, &count, nullptr, nullptr);
    if (kr != KERN_SUCCESS) {
      Napi::Error::New(env, KernError("Write", kr)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return Napi::Number::New(env, static_cast<double>(accepted));
  }

  Napi::Value SetModemLines(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t in[3] = {};
    if (!Open(env) || !PortArg(info, 0, &in[0]) || !PortArg(info, 1, &in[1]) || !PortArg(info, 2, &in[2])) {
      return env.Undefined();
    }
    const kern_return_t kr = IOConnectCallScalarMethod(connection_, CATBRIDGE_UC_SET_MODEM_LINES, in, 3, nullptr, nullptr);
    if (kr != KERN_SUCCESS) Napi::Error::New(env, KernError("SetModemLines", kr)).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  Napi::Value PortState(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t id = 0;
    if (!Open(env) || !PortArg(info, 0, &id)) return env.Undefined();
    catbridge_uc_port_state s{};
    size_t size = sizeof(s);
    const kern_return_t kr = IOConnectCallMethod(connection_, CATBRIDGE_UC_GET_PORT_STATE, &id, 1, nullptr, 0,
                                                 nullptr, nullptr, &s, &size);
    if (kr != KERN_SUCCESS || size != sizeof(s)) {
      Napi::Error::New(env, KernError("GetPortState", kr)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Object o = Napi::Object::New(env);
    o.Set("connected", (s.flags & CATBRIDGE_STATE_CONNECTED) != 0);
    o.Set("active", (s.flags & CATBRIDGE_STATE_ACTIVE) != 0);
    o.Set("baud", static_cast<double>(s.baud));
    o.Set("dataBits", s.dataBits);
    o.Set("halfStopBits", s.halfStopBits);
    o.Set("parity", s.parity);
    o.Set("dtr", (s.mcr & CATBRIDGE_MCR_DTR) != 0);
    o.Set("rts", (s.mcr & CATBRIDGE_MCR_RTS) != 0);
    o.Set("modem", s.modem);
    o.Set("breakOn", s.breakOn != 0);
    o.Set("flowArg", static_cast<double>(s.flowArg));
    o.Set("txUsed", static_cast<double>(s.txUsed));
    o.Set("rxFree", static_cast<double>(s.rxFree));
    o.Set("openCount", static_cast<double>(s.openCount));
    o.Set("corruptCount", static_cast<double>(s.corruptCount));
    o.Set("txBytes", static_cast<double>(s.txBytes));
    o.Set("rxBytes", static_cast<double>(s.rxBytes));
    return o;
  }

  Napi::Value FetchEvents(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Open(env)) return env.Undefined();
    catbridge_uc_port_events events[CATBRIDGE_UC_MAX_PORTS];
    size_t size = sizeof(events);
    uint64_t count = 0;
    uint32_t scalars = 1;
    const kern_return_t kr = IOConnectCallMethod(connection_, CATBRIDGE_UC_FETCH_EVENTS, nullptr, 0, nullptr, 0,
                                                 &count, &scalars, events, &size);
    if (kr != KERN_SUCCESS || scalars != 1) {
      Napi::Error::New(env, KernError("FetchEvents", kr != KERN_SUCCESS ? kr : kIOReturnBadArgument))
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const size_t n = std::min<size_t>(static_cast<size_t>(count), size / sizeof(events[0]));
    Napi::Array out = Napi::Array::New(env, n);
    for (size_t i = 0; i < n; i++) {
      Napi::Object e = Napi::Object::New(env);
      e.Set("portId", static_cast<double>(events[i].portId));
      e.Set("bits", static_cast<double>(events[i].bits));
      out.Set(static_cast<uint32_t>(i), e);
    }
    return out;
  }

  // start(onDoorbell, onTerminated): arms the doorbell once (the dext reuses the action for every
  // completion) and asks to hear when the driver's service terminates (dext crash, upgrade, deactivation).
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Open(env)) return env.Undefined();
    if (doorbell_ != nullptr || info.Length() < 2 || !info[0].IsFunction() || !info[1].IsFunction()) {
      Napi::TypeError::New(env, "start(onDoorbell, onTerminated) once, with functions").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      Napi::Error::New(env, "no libuv loop").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    on_doorbell_ = Napi::Persistent(info[0].As<Napi::Function>());
    on_terminated_ = Napi::Persistent(info[1].As<Napi::Function>());
    doorbell_ = new Doorbell{};
    doorbell_->owner = this;
    uv_async_init(loop, &doorbell_->async, OnAsync);
    doorbell_->async.data = doorbell_;
    queue_ = dispatch_queue_create("org.catbridge.dext-doorbell", DISPATCH_QUEUE_SERIAL);
    notify_port_ = IONotificationPortCreate(kMainPort);
    IONotificationPortSetDispatchQueue(notify_port_, queue_);
    if (IOServiceAddInterestNotification(notify_port_, service_, kIOGeneralInterest, &OnInterest, doorbell_,
                                         &interest_) != KERN_SUCCESS) {
      interest_ = IO_OBJECT_NULL;  // not fatal: the watchdog still notices a dead connection
    }
    uint64_t ref[kOSAsyncRef64Count] = {};
    ref[kIOAsyncCalloutFuncIndex] = reinterpret_cast<io_user_reference_t>(&OnCompletion);
    ref[kIOAsyncCalloutRefconIndex] = reinterpret_cast<io_user_reference_t>(doorbell_);
    const kern_return_t kr = IOConnectCallAsyncScalarMethod(connection_, CATBRIDGE_UC_ARM_EVENTS,
                                                            IONotificationPortGetMachPort(notify_port_), ref,
                                                            kIOAsyncCalloutCount, nullptr, 0, nullptr, nullptr);
    if (kr != KERN_SUCCESS) {
      StopDoorbell();
      Napi::Error::New(env, KernError("ArmEvents", kr)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Ref();  // the doorbell holds this object until close()
    started_ = true;
    return env.Undefined();
  }

  Napi::Value CalloutPath(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t id = 0;
    if (!PortArg(info, 0, &id)) return env.Undefined();
    auto it = registry_ids_.find(id);
    if (it == registry_ids_.end()) {
      Napi::Error::New(env, "calloutPath: no port " + std::to_string(id) + " created by this client")
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const std::string path = FindCalloutPath(it->second);
    return path.empty() ? env.Null() : Napi::String::New(env, path);
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  // On the notification queue: coalesce into one wake-up of the event loop.
  static void OnCompletion(void* refcon, IOReturn, void**, uint32_t) {
    auto* bell = static_cast<Doorbell*>(refcon);
    bell->rang = true;
    uv_async_send(&bell->async);
  }

  // On the notification queue: the driver's service is going away.
  static void OnInterest(void* refcon, io_service_t, uint32_t messageType, void*) {
    if (messageType != kIOMessageServiceIsTerminated) return;
    auto* bell = static_cast<Doorbell*>(refcon);
    bell->terminated = true;
    uv_async_send(&bell->async);
  }

  // On the event loop.
  static void OnAsync(uv_async_t* handle) {
    auto* bell = static_cast<Doorbell*>(handle->data);
    if (bell->owner == nullptr) return;
    if (bell->rang.exchange(false)) bell->owner->Call(bell->owner->on_doorbell_);
    if (bell->owner != nullptr && bell->terminated.exchange(false)) bell->owner->Call(bell->owner->on_terminated_);
  }

  void Call(const Napi::FunctionReference& callback) {
    if (callback.IsEmpty()) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    napi_value fn = callback.Value();
    napi_value self = Value();
    napi_value result;
    napi_async_context context = nullptr;
    if (napi_async_init(env, self, Napi::String::New(env, "catbridge.dext"), &context) != napi_ok) return;
    if (napi_make_callback(env, context, self, fn, 0, nullptr, &result) != napi_ok) {
      bool pending = false;
      napi_value error;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
          napi_get_and_clear_last_exception(env, &error) == napi_ok) {
        napi_fatal_exception(env, error);
      }
    }
    napi_async_destroy(env, context);
  }

  static std::string StringProperty(io_registry_entry_t entry, const char* key) {
    std::string value;
    CFStringRef cfKey = CFStringCreateWithCString(kCFAllocatorDefault, key, kCFStringEncodingUTF8);
    CFTypeRef prop = IORegistryEntryCreateCFProperty(entry, cfKey, kCFAllocatorDefault, 0);
    CFRelease(cfKey);
    if (prop != nullptr) {
      if (CFGetTypeID(prop) == CFStringGetTypeID()) {
        char buf[256];
        if (CFStringGetCString(static_cast<CFStringRef>(prop), buf, sizeof buf, kCFStringEncodingUTF8)) value = buf;
      }
      CFRelease(prop);
    }
    return value;
  }

  // The device of the IOSerialBSDClient under the port CreatePort made, found by the port's registry
  // entry ID: its suffix may differ from the name asked for (the kernel gives a unit number when the
  // name is still held, research/dext.md §8.1), and it exists only once the port has registered, which
  // happens asynchronously after CreatePort. Empty when it is not (yet) there; the caller retries.
  static std::string FindCalloutPath(uint64_t registryId) {
    const io_service_t port = IOServiceGetMatchingService(kMainPort, IORegistryEntryIDMatching(registryId));
    if (port == IO_OBJECT_NULL) return "";
    std::string found;
    io_iterator_t it = IO_OBJECT_NULL;
    if (IORegistryEntryGetChildIterator(port, kIOServicePlane, &it) == KERN_SUCCESS) {
      io_object_t child;
      while (found.empty() && (child = IOIteratorNext(it)) != IO_OBJECT_NULL) {
        if (IOObjectConformsTo(child, "IOSerialBSDClient")) found = StringProperty(child, "IOCalloutDevice");
        IOObjectRelease(child);
      }
      IOObjectRelease(it);
    }
    IOObjectRelease(port);
    return found;
  }

  void StopDoorbell() {
    if (interest_ != IO_OBJECT_NULL) {
      IOObjectRelease(interest_);
      interest_ = IO_OBJECT_NULL;
    }
    if (notify_port_ != nullptr) {
      IONotificationPortDestroy(notify_port_);
      notify_port_ = nullptr;
    }
    if (queue_ != nullptr) {
      // Drain: no completion can be running on the queue once this returns.
      dispatch_sync_f(queue_, nullptr, [](void*) {});
      dispatch_release(queue_);
      queue_ = nullptr;
    }
    if (doorbell_ != nullptr) {
      doorbell_->owner = nullptr;
      uv_close(reinterpret_cast<uv_handle_t*>(&doorbell_->async),
               [](uv_handle_t* h) { delete static_cast<Doorbell*>(h->data); });
      doorbell_ = nullptr;
    }
  }

  void CloseConnection() {
    if (connection_ != IO_OBJECT_NULL) {
      IOServiceClose(connection_);
      connection_ = IO_OBJECT_NULL;
    }
    if (service_ != IO_OBJECT_NULL) {
      IOObjectRelease(service_);
      service_ = IO_OBJECT_NULL;
    }
  }

  void Shutdown() {
    StopDoorbell();     // no notification can arrive once the port is gone
    CloseConnection();  // the dext's user client stops: its ports stay, lines dropped
    on_doorbell_.Reset();
    on_terminated_.Reset();
    if (started_) {
      started_ = false;
      Unref();
    }
  }

  io_connect_t connection_ = IO_OBJECT_NULL;
  io_service_t service_ = IO_OBJECT_NULL;
  io_object_t interest_ = IO_OBJECT_NULL;
  std::map<uint64_t, uint64_t> registry_ids_;  // port id → the port's IORegistry entry ID
  uint64_t info_[4] = {};
  IONotificationPortRef notify_port_ = nullptr;
  dispatch_queue_t queue_ = nullptr;
  Doorbell* doorbell_ = nullptr;
  Napi::FunctionReference on_doorbell_;
  Napi::FunctionReference on_terminated_;
  bool started_ = false;
};

}  // namespace

Napi::Function DefineDextClient(Napi::Env env) { return DextClient::Define(env); }

}  // namespace catbridge
