// The declaration in include/FuzzDriver.h is all this target provides; libFuzzer defines the
// function (linked by -sanitize=fuzzer).
#include "FuzzDriver.h"
