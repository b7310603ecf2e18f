#pragma once
// Options shared by the verbs that run a model.
#include "model/Device.h"

#include <CLI/CLI.hpp>

#include <string>

namespace sena::cli {

struct ComputeFlags {
    std::string device = "cpu";
    std::string dtype = "float32";
    int threads = 0;

    void add(CLI::App* cmd) {
        cmd->add_option("--device", device, "cpu, cuda or cuda:N")->capture_default_str();
        cmd->add_option("--dtype", dtype, "float32, bfloat16 or float16 (CUDA)")->capture_default_str();
        cmd->add_option("--threads", threads, "CPU threads (0 = every core)")->capture_default_str();
    }
    model::ComputeOptions resolve() const {
        model::configureThreads(threads);
        model::ComputeOptions o;
        o.device = model::parseDevice(device);
        o.dtype = model::parseDType(dtype, o.device);
        return o;
    }
};

}  // namespace sena::cli
