// Stub SDK (user space): the Mach types and calls native/src/dext_client.cc uses.
#pragma once
#include <stdint.h>

typedef uint32_t mach_port_t;
typedef mach_port_t task_port_t;
typedef int kern_return_t;
typedef int boolean_t;
#define MACH_PORT_NULL (static_cast<mach_port_t>(0))
#define KERN_SUCCESS 0

extern "C" mach_port_t mach_task_self(void);
