// Stub SDK: the scalar types DriverKit code spells.
#pragma once
#include <DriverKit/IOReturn.h>
