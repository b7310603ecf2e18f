#pragma once
// The corruptions the workbench offers, their parameters, defaults and valid ranges: one table
// that the spec parser validates against, the CLI lists and a GUI editor renders (a slider or
// spin box per parameter, an integer one where `integer` is set).
#include <string>
#include <vector>

namespace sena::image {

// Where a corruption acts. Image-space ones change the 8-bit image the model sees (after
// pad/resize/crop); tensor-space ones change the normalized model input after it.
enum class CorruptionSpace { Image, Tensor };

const char* corruptionSpaceName(CorruptionSpace space);  // "image" / "tensor"

struct CorruptionParameter {
    std::string name;
    double defaultValue = 0;
    double minValue = 0;
    double maxValue = 0;
    bool integer = false;
    std::string description;
};

struct CorruptionType {
    std::string name;
    std::string description;
    CorruptionSpace space = CorruptionSpace::Image;
    std::vector<CorruptionParameter> parameters;  // in canonical (printing) order

    // Index of the parameter called `name`, or -1.
    int parameterIndex(const std::string& name) const;
    // "sigma (0 .. 50)", "t (integer 0 .. 999)": the parameter list for error messages.
    std::string parameterSummary() const;
};

// Every corruption, in a fixed order (image-space first).
const std::vector<CorruptionType>& corruptionCatalog();

// The type called `name`, or nullptr.
const CorruptionType* findCorruptionType(const std::string& name);

// "blur, downscale, ...": the known names, for error messages.
std::string corruptionTypeNames();

// A number as the canonical spec writes it: integers without a decimal point, others in the
// shortest form that reads back to the same double (e.g. 0.3, 1e-05).
std::string formatCorruptionValue(double value);

}  // namespace sena::image
