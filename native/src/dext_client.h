// macOS only (binding.gyp adds it under OS=="mac"): the Node-API face of the catbridge dext's user
// client, class DextClient. src/gateway/ports/dext-native.ts declares the same shape in TS; the
// protocol is dext/PROTOCOL.md, its structs dext/core/uc_protocol.h.
#ifndef CATBRIDGE_NATIVE_DEXT_CLIENT_H
#define CATBRIDGE_NATIVE_DEXT_CLIENT_H

#include <napi.h>

namespace catbridge {

Napi::Function DefineDextClient(Napi::Env env);

}  // namespace catbridge

#endif  // CATBRIDGE_NATIVE_DEXT_CLIENT_H
