// Stub SDK (user space): mach_error_string.
#pragma once
#include <mach/mach.h>

extern "C" const char* mach_error_string(kern_return_t error_value);
