#include "model/Device.h"

#include "util/Error.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <thread>

namespace sena::model {

torch::Device parseDevice(const std::string& name) {
    if (name == "cpu")
        return torch::kCPU;
    if (name.rfind("cuda", 0) == 0) {
        if (!torch::cuda::is_available())
            throw ConfigError("device '" + name +
                              "' was asked for, but this build of LibTorch has no CUDA or no GPU is visible; "
                              "use --device cpu, or build with the cuda preset on a GPU machine");
        try {
            torch::Device d(name);
            if (d.has_index() && d.index() >= static_cast<int>(torch::cuda::device_count()))
                throw ConfigError("device '" + name + "' does not exist (" +
                                  std::to_string(torch::cuda::device_count()) + " GPUs visible)");
            return d;
        } catch (const c10::Error&) {
            throw ConfigError("device '" + name + "' is not a valid device name (use cpu, cuda or cuda:N)");
        }
    }
    throw ConfigError("device '" + name + "' is not a valid device name (use cpu, cuda or cuda:N)");
}

torch::ScalarType parseDType(const std::string& name, const torch::Device& device) {
    if (name == "float32" || name == "fp32" || name == "float")
        return torch::kFloat32;
    if (name == "bfloat16" || name == "bf16")
        return torch::kBFloat16;
    if (name == "float16" || name == "fp16" || name == "half") {
        if (device.is_cpu())
            throw ConfigError("float16 is not supported on the CPU; use bfloat16 or float32");
        return torch::kFloat16;
    }
    throw ConfigError("dtype '" + name + "' is not supported (float32, bfloat16, float16)");
}

std::string dtypeString(torch::ScalarType dtype) {
    switch (dtype) {
    case torch::kFloat32: return "float32";
    case torch::kBFloat16: return "bfloat16";
    case torch::kFloat16: return "float16";
    default: return c10::toString(dtype);
    }
}

void configureThreads(int threads) {
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads);
}

}  // namespace sena::model
