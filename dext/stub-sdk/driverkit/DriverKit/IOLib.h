// Stub SDK: the IOLib calls the catbridge dext makes (DriverKit's IOLib.h), declared with the
// signatures of Apple's documentation. Declarations only: nothing here links.
#pragma once
#include <DriverKit/IOReturn.h>

struct IOLock;
typedef struct IOLock IOLock;

IOLock* IOLockAlloc(void);
void IOLockFree(IOLock* lock);
void IOLockLock(IOLock* lock);
void IOLockUnlock(IOLock* lock);
void IOSleep(uint64_t milliseconds);

void* IOMallocZero(size_t length);
void IOFree(void* address, size_t length);

// IONew/IONewZero/IOSafeDeleteNULL as DriverKit's IOLib.h shapes them: typed, counted allocations.
#define IONewZero(type, count) (static_cast<type*>(IOMallocZero(sizeof(type) * static_cast<size_t>(count))))
#define IOSafeDeleteNULL(ptr, type, count)                                 \
  do {                                                                     \
    if ((ptr) != nullptr) {                                                \
      IOFree(static_cast<void*>(ptr), sizeof(type) * static_cast<size_t>(count)); \
      (ptr) = nullptr;                                                     \
    }                                                                      \
  } while (0)
