// Stub SDK: os_log. Apple's format strings carry privacy annotations (%{public}s) that printf checking
// rejects, so the stub takes any arguments; it only proves the call is spelled right.
#pragma once
struct os_log_s;
typedef struct os_log_s* os_log_t;
extern struct os_log_s _os_log_default;
#define OS_LOG_DEFAULT (&_os_log_default)
void _catbridge_stub_os_log(os_log_t log, const char* format, ...);
#define os_log(log, format, ...) _catbridge_stub_os_log((log), (format), ##__VA_ARGS__)
