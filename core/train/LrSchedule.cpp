#include "train/LrSchedule.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>

namespace sena::train {

ScheduleType parseScheduleType(const std::string& name) {
    if (name == "constant" || name == "constant_with_warmup")
        return ScheduleType::Constant;
    if (name == "linear")
        return ScheduleType::Linear;
    if (name == "cosine")
        return ScheduleType::Cosine;
    throw ConfigError("unknown learning-rate schedule '" + name + "' (constant, linear or cosine)");
}

LrSchedule::LrSchedule(double baseLr, int64_t totalSteps, ScheduleOptions options)
    : m_baseLr(baseLr), m_total(totalSteps), m_options(options) {
    if (options.warmupRatio < 0 || options.warmupRatio > 1)
        throw ConfigError("warm-up ratio must lie in [0, 1]");
    m_warmup = options.warmupSteps >= 0 ? options.warmupSteps
                                        : static_cast<int64_t>(std::ceil(options.warmupRatio * static_cast<double>(totalSteps)));
}

double LrSchedule::at(int64_t step) const {
    if (step < m_warmup)
        return m_baseLr * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, m_warmup));
    const double span = static_cast<double>(std::max<int64_t>(1, m_total - m_warmup));
    const double progress = static_cast<double>(step - m_warmup) / span;
    switch (m_options.type) {
    case ScheduleType::Constant: return m_baseLr;
    case ScheduleType::Linear: return m_baseLr * std::max(0.0, 1.0 - progress);
    case ScheduleType::Cosine: return m_baseLr * std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * progress)));
    }
    return m_baseLr;
}

}  // namespace sena::train
