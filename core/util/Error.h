#pragma once
// Error types thrown by core. Every message names the file, key or value at fault and what to do.
#include <stdexcept>
#include <string>

namespace sena {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A file could not be read, or its bytes are not what its format promises.
class FormatError : public Error {
public:
    using Error::Error;
};

// A configuration value is missing, of the wrong type, or not supported.
class ConfigError : public Error {
public:
    using Error::Error;
};

// Weights disagree with the configuration (missing, unexpected or mis-shaped tensors).
class WeightsError : public Error {
public:
    using Error::Error;
};

// An input to a computation is inconsistent (e.g. image-token count vs image features).
class InputError : public Error {
public:
    using Error::Error;
};

// The user cancelled long-running work.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace sena
