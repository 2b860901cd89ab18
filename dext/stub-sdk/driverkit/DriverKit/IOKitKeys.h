// Stub SDK: the registry keys the dext names (values as in xnu's iokit/DriverKit/IOKitKeys.h).
#pragma once
#define kIOUserServicePropertiesKey "IOUserServiceProperties"
