// Stub SDK: the OSObject root as iig would have generated it from xnu's iokit/DriverKit/OSObject.iig
// (declarations rewritten by hand, not copied). What the stub reproduces because the compiler can check
// it:
//   * the iig attributes (LOCAL, LOCALONLY, ...) expand to nothing, as they do outside iig;
//   * IMPL(class, method) defines class::method_Impl(class_method_Args), as OSObject.iig's DEFN/IMPL do;
//   * SUPERDISPATCH is ((OSDispatchMethod)&super::_Dispatch), as libkern's OSMetaClass.h defines it, so
//     every class needs a `super` and a static _Dispatch;
//   * every remote ("RPC") method takes a trailing OSDispatchMethod supermethod = nullptr, and the
//     class that declares it defines <Class>_<Method>_Args, which dext/stub-sdk/iig.mjs looks up.
#pragma once
#include <DriverKit/IOReturn.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#include <DriverKit/IOTypes.h>

#define KERNEL
#define NATIVE
#define LOCAL
#define LOCALONLY
#define REMOTE
#define LOCALHOST
#define TARGET
#define TYPE(p)
#define QUEUENAME(name)
#define EXTENDS(cls)

struct IORPC;
class OSMetaClassBase;
class OSMetaClass;
class IODispatchQueue;
typedef kern_return_t (*OSDispatchMethod)(OSMetaClassBase* self, const IORPC rpc);
typedef char IODispatchQueueName[256];

struct IORPC {
  void* message;
  void* reply;
  uint32_t sendSize;
  uint32_t replySize;
};

#define DEFN(classname, name) name##_Impl(classname##_##name##_Args)
#define IMPL(classname, name) classname::DEFN(classname, name)
#define SUPERDISPATCH ((OSDispatchMethod) & super::_Dispatch)

class OSMetaClassBase {
 public:
  virtual const OSMetaClass* getMetaClass() const;
  virtual void retain() const;
  virtual void release() const;
  virtual bool isEqualTo(const OSMetaClassBase* anObject) const;

 protected:
  virtual ~OSMetaClassBase();
};

class OSObject : public OSMetaClassBase {
 public:
  typedef OSMetaClassBase super;
  virtual bool init();
  virtual void free();
  void retain() const override;
  void release() const override;
  static kern_return_t _Dispatch(OSObject* self, const IORPC rpc);

#define OSObject_SetDispatchQueue_Args const IODispatchQueueName name, IODispatchQueue* queue
  kern_return_t SetDispatchQueue(const IODispatchQueueName name, IODispatchQueue* queue,
                                 OSDispatchMethod supermethod = nullptr);
};
typedef OSObject* OSObjectPtr;
typedef OSObject OSContainer;

// DriverKit's OSDynamicCast asks the object's metaclass. The compile check (no RTTI, as in DriverKit) can
// only insist that the target is an OSMetaClassBase and the argument a pointer to one; the glue's run on
// the fake runtime (test/dext/fixtures/driverkit_runtime.cc, built with RTTI) casts for real.
void* _CatbridgeStubMetaCast(const OSMetaClassBase* object, size_t size);
template <class T, class U>
inline T* _CatbridgeStubDynamicCast(U* p) {
  static_assert(__is_base_of(OSMetaClassBase, T), "OSDynamicCast to a type that is not an OSObject");
  static_assert(__is_base_of(OSMetaClassBase, U), "OSDynamicCast of a pointer that is not an OSObject");
#if defined(__GXX_RTTI) || __has_feature(cxx_rtti)
  return const_cast<T*>(dynamic_cast<const T*>(p));
#else
  return static_cast<T*>(_CatbridgeStubMetaCast(static_cast<const OSMetaClassBase*>(p), sizeof(T)));
#endif
}
#define OSDynamicCast(type, inst) (_CatbridgeStubDynamicCast<type>(inst))

#define OSSafeReleaseNULL(inst)     \
  do {                              \
    if ((inst) != nullptr) {        \
      (inst)->release();            \
    }                               \
    (inst) = nullptr;               \
  } while (0)
