// The Node-API face of PtyCore: class Pty { path, clientWatch, start(), write(), clientOpen(),
// lineSettings(), stats(), close() }. src/gateway/ports/pty-native.ts declares the same shape in TS.
#include <napi.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "pty_core.h"
#ifdef CATBRIDGE_WITH_DEXT
#include "dext_client.h"  // macOS only (binding.gyp)
#endif

namespace catbridge {
namespace {

class Pty;

// Holds an environment's teardown (a worker exiting) until libuv has released the pty's handles: their
// close callbacks are code in this library, which is unloaded with the environment. Freed when released.
struct Teardown {
  Pty* owner;  // cleared once the owner has started closing
  napi_async_cleanup_hook_handle hook = nullptr;
};

class Pty : public Napi::ObjectWrap<Pty>, public PtyCore::Sink {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Pty",
                       {
                           InstanceAccessor<&Pty::GetPath>("path"),
                           InstanceAccessor<&Pty::GetClientWatch>("clientWatch"),
                           InstanceMethod<&Pty::Start>("start"),
                           InstanceMethod<&Pty::Write>("write"),
                           InstanceMethod<&Pty::ClientOpen>("clientOpen"),
                           InstanceMethod<&Pty::LineSettings>("lineSettings"),
                           InstanceMethod<&Pty::Stats>("stats"),
                           InstanceMethod<&Pty::Close>("close"),
                       });
  }

  // new Pty(clientWatch?: 'inotify' | 'probe')
  explicit Pty(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Pty>(info) {
    Napi::Env env = info.Env();
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      Napi::Error::New(env, "no libuv loop").ThrowAsJavaScriptException();
      return;
    }
    const bool use_inotify = !(info.Length() > 0 && info[0].IsString() &&
                               info[0].As<Napi::String>().Utf8Value() == "probe");
    core_ = std::make_unique<PtyCore>(loop);
    std::string error;
    if (!core_->Open(use_inotify, &error)) {
      core_->Close();
      Napi::Error::New(env, error).ThrowAsJavaScriptException();
    }
  }

  // Reached once unreferenced: after close(), or never started.
  ~Pty() override { ReleaseCore(); }

  // The sink callbacks use the C API with every status checked: they run from the event loop, possibly
  // while a worker is being terminated, when node-addon-api's wrappers would abort on a failed call.
  void OnData(const uint8_t* bytes, size_t len, double read_at_ms) override {
    napi_env env = Env();
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value args[2];
    void* copy = nullptr;
    if (napi_create_buffer_copy(env, len, bytes, &copy, &args[0]) == napi_ok &&
        napi_create_double(env, read_at_ms, &args[1]) == napi_ok) {
      Call(on_data_, 2, args);
    }
    napi_close_handle_scope(env, scope);
  }

  void OnClient(bool open) override {
    napi_env env = Env();
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value arg;
    if (napi_get_boolean(env, open, &arg) == napi_ok) Call(on_client_, 1, &arg);
    napi_close_handle_scope(env, scope);
  }

 private:
  Napi::Value GetPath(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), core_->path()); }

  Napi::Value GetClientWatch(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), core_->client_watch() == ClientWatch::kInotify ? "inotify" : "probe");
  }

  // start(onData(chunk, readAtMs), onClient(open))
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (started_ || info.Length() < 2 || !info[0].IsFunction() || !info[1].IsFunction()) {
      Napi::TypeError::New(env, "start(onData, onClient) once, with two functions")
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    on_data_ = Napi::Persistent(info[0].As<Napi::Function>());
    on_client_ = Napi::Persistent(info[1].As<Napi::Function>());
    context_ = std::make_unique<Napi::AsyncContext>(env, "catbridge.pty");
    // Polling holds pointers to this object: keep it from the GC until close().
    started_ = true;
    Ref();
    teardown_ = new Teardown{this};
    if (napi_add_async_cleanup_hook(env, OnEnvTeardown, teardown_, &teardown_->hook) != napi_ok) {
      teardown_->hook = nullptr;
    }
    std::string error;
    if (!core_->Start(this, &error)) {
      Shutdown();
      Napi::Error::New(env, error).ThrowAsJavaScriptException();
    }
    return env.Undefined();
  }

  // write(bytes: Uint8Array): number of bytes written or queued
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      Napi::TypeError::New(env, "write(bytes: Uint8Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    auto bytes = info[0].As<Napi::Uint8Array>();
    return Napi::Number::New(env, static_cast<double>(core_->Write(bytes.Data(), bytes.ElementLength())));
  }

  Napi::Value ClientOpen(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), core_->client_open());
  }

  Napi::Value LineSettings(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    catbridge::LineSettings line{};
    if (!core_->ReadLine(&line)) {
      Napi::Error::New(env, std::string("tcgetattr: ") + strerror(errno)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("baud", static_cast<double>(line.baud));
    out.Set("dataBits", line.data_bits);
    out.Set("parity", line.parity == 'o' ? "odd" : line.parity == 'e' ? "even" : "none");
    out.Set("stopBits", line.stop_bits);
    return out;
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const PtyStats& s = core_->stats();
    Napi::Object out = Napi::Object::New(env);
    out.Set("bytesIn", static_cast<double>(s.bytes_in));
    out.Set("bytesOut", static_cast<double>(s.bytes_out));
    out.Set("queuedBytes", static_cast<double>(core_->queued()));
    out.Set("droppedOverflowBytes", static_cast<double>(s.dropped_overflow));
    out.Set("droppedNoClientBytes", static_cast<double>(s.dropped_no_client));
    return out;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  // The environment is going away with the port still open: close it now.
  static void OnEnvTeardown(napi_async_cleanup_hook_handle, void* arg) {
    auto* teardown = static_cast<Teardown*>(arg);
    if (teardown->owner != nullptr) teardown->owner->Shutdown();
    // Otherwise the close is under way already, and Released ends the hook.
  }

  static void Released(void* arg) {
    auto* teardown = static_cast<Teardown*>(arg);
    if (teardown->hook != nullptr) napi_remove_async_cleanup_hook(teardown->hook);
    delete teardown;
  }

  void ReleaseCore() {
    if (!core_) return;  // the constructor failed before creating it
    Teardown* teardown = teardown_;
    teardown_ = nullptr;
    if (teardown == nullptr) {
      core_->Close();
      return;
    }
    teardown->owner = nullptr;
    core_->Close(Released, teardown);
  }

  void Shutdown() {
    ReleaseCore();
    if (!started_) return;
    started_ = false;
    on_data_.Reset();
    on_client_.Reset();
    context_.reset();
    Unref();
  }

  // Calls into JS from the event loop, through MakeCallback so that promise jobs and nextTicks queued by
  // the listener run before the loop moves on. A listener that throws is an uncaught exception, as it
  // would be from any Node.js stream. Nothing is called once JS can no longer run.
  void Call(Napi::FunctionReference& fn, size_t argc, const napi_value* argv) {
    if (fn.IsEmpty() || !context_) return;
    napi_env env = Env();
    napi_value function;
    napi_value self;
    napi_value result;
    if (napi_get_reference_value(env, fn, &function) != napi_ok ||
        napi_get_reference_value(env, static_cast<napi_ref>(*this), &self) != napi_ok) {
      return;
    }
    if (napi_make_callback(env, *context_, self, function, argc, argv, &result) == napi_ok) return;
    bool pending = false;
    napi_value error;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
        napi_get_and_clear_last_exception(env, &error) == napi_ok) {
      napi_fatal_exception(env, error);
    }
  }

  std::unique_ptr<PtyCore> core_;
  Napi::FunctionReference on_data_;
  Napi::FunctionReference on_client_;
  std::unique_ptr<Napi::AsyncContext> context_;
  Teardown* teardown_ = nullptr;
  bool started_ = false;
};

}  // namespace
}  // namespace catbridge

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  exports.Set("Pty", catbridge::Pty::Define(env));
#ifdef CATBRIDGE_WITH_DEXT
  exports.Set("DextClient", catbridge::DefineDextClient(env));
#endif
  return exports;
}

NODE_API_MODULE(catbridge_native, InitModule)
