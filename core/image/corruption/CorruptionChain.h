#pragma once
// A corruption chain: the steps that turn a clean image into the one the rejected answer is
// generated on, as text (what users type, what the database keys on) and as JSON.
//
// Spec grammar (whitespace around any token is ignored; names and keys are case-insensitive):
//
//   spec   := "" | "none" | step ( "+" step )*
//   step   := name [ ":" [ param ( "," param )* ] ]
//   param  := key "=" number
//   number := a decimal number such as 2, 0.5, .5, -1, 1e-3 (no inf/nan; exponents written
//             1e3 / 1e-3 / 1e+3 — a "+" right after "<digit>e" is part of the number)
//
// e.g. "blur:sigma=2+diffusion:t=600", "jpeg:quality=15+noise:sigma=10", "diffusion".
// Omitted parameters take the catalogue default. Every key must belong to the step, appear once,
// be a number in the catalogue's range (an integer where the parameter is one). Image-space steps
// must come before tensor-space steps: the image steps edit the 8-bit picture, which is then
// normalized into the tensor; nothing can act on the picture after that.
//
// Canonical form (toString): "none" for no corruption, else every step with every parameter in
// catalogue order, e.g. "blur:sigma=2+diffusion:t=600", so equal chains have equal strings.
#include "image/corruption/CorruptionCatalog.h"
#include "util/Json.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sena::image {

class CorruptionStep {
public:
    // A validated step; parameters not in `params` take their defaults. Throws ConfigError for an
    // unknown name or key, or a value out of range or not an integer where one is required.
    // `where` prefixes error messages (e.g. "corruption step 2").
    static CorruptionStep make(const std::string& name, const std::map<std::string, double>& params = {},
                               const std::string& where = "corruption");

    const std::string& name() const { return m_type->name; }
    const CorruptionType& type() const { return *m_type; }
    CorruptionSpace space() const { return m_type->space; }
    // Values in catalogue order.
    const std::vector<double>& values() const { return m_values; }
    // Throws ConfigError when the step has no parameter `key`.
    double value(const std::string& key) const;
    int intValue(const std::string& key) const { return static_cast<int>(value(key)); }
    // A copy with one parameter changed, validated as make() does (for editors with one control
    // per parameter).
    CorruptionStep with(const std::string& key, double value) const;

    std::string toString() const;  // canonical, e.g. "jitter:brightness=0.5,contrast=0,saturation=0,hue=0.3"
    util::Json toJson() const;     // {"name": "blur", "params": {"sigma": 2}}

    bool operator==(const CorruptionStep& o) const { return m_type == o.m_type && m_values == o.m_values; }
    bool operator!=(const CorruptionStep& o) const { return !(*this == o); }

private:
    CorruptionStep(const CorruptionType* type, std::vector<double> values) : m_type(type), m_values(std::move(values)) {}
    const CorruptionType* m_type;  // points into corruptionCatalog(), which lives for the program
    std::vector<double> m_values;
};

class CorruptionChain {
public:
    CorruptionChain() = default;  // no corruption
    // Throws ConfigError when an image-space step follows a tensor-space one.
    explicit CorruptionChain(std::vector<CorruptionStep> steps);

    // Parses the text spec above; ConfigError names the step, the key and the allowed range.
    static CorruptionChain parse(const std::string& spec);
    // Accepts toJson()'s array of {"name", "params"} objects, or a spec string. `where` names the
    // source in error messages.
    static CorruptionChain fromJson(const util::Json& json, const std::string& where = "corruption");

    std::string toString() const;
    util::Json toJson() const;

    bool empty() const { return m_steps.empty(); }
    const std::vector<CorruptionStep>& steps() const { return m_steps; }
    bool hasTensorSteps() const;

    // The seed step `index` draws its randomness from. It depends on (seed, the step's name, how
    // many earlier steps share that name) rather than on the raw position, so inserting or removing
    // a step of another kind leaves every other step's noise exactly as it was; only a second step
    // of the same kind shifts the later ones of that kind.
    std::uint64_t stepSeed(std::uint64_t seed, std::size_t index) const;

    bool operator==(const CorruptionChain& o) const { return m_steps == o.m_steps; }
    bool operator!=(const CorruptionChain& o) const { return !(*this == o); }

private:
    std::vector<CorruptionStep> m_steps;
};

}  // namespace sena::image
