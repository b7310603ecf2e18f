#pragma once
// Learning-rate schedules with linear warm-up, as transformers' get_*_schedule_with_warmup define
// them: the factor for optimizer step s (0-based) is s / W during warm-up, then 1 (constant),
// (N − s) / (N − W) (linear) or ½(1 + cos(π (s − W) / (N − W))) (cosine), never below 0.
#include <cstdint>
#include <string>

namespace sena::train {

enum class ScheduleType { Constant, Linear, Cosine };
ScheduleType parseScheduleType(const std::string& name);  // constant | linear | cosine

struct ScheduleOptions {
    ScheduleType type = ScheduleType::Constant;
    double warmupRatio = 0;    // of the total steps, rounded up (transformers' get_warmup_steps)
    int64_t warmupSteps = -1;  // ≥ 0 overrides the ratio
};

class LrSchedule {
public:
    LrSchedule(double baseLr, int64_t totalSteps, ScheduleOptions options);
    double at(int64_t step) const;  // learning rate for optimizer step `step` (0-based)
    int64_t warmupSteps() const { return m_warmup; }

private:
    double m_baseLr;
    int64_t m_total;
    int64_t m_warmup;
    ScheduleOptions m_options;
};

}  // namespace sena::train
