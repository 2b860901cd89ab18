// Stub SDK (see dext/stub-sdk/README.md): the DriverKit headers include this for availability macros,
// which the stub does not check.
#pragma once
