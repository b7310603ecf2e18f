#pragma once
// Device and dtype selection shared by the CLI, the GUI workers and the benchmarks.
#include <torch/types.h>

#include <string>

namespace sena::model {

struct ComputeOptions {
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
};

// "cpu", "cuda", "cuda:1". Throws ConfigError with advice when CUDA is asked for but absent.
torch::Device parseDevice(const std::string& name);
// "float32" | "bfloat16" | "float16" (aliases fp32, bf16, fp16). float16 is refused on CPU.
torch::ScalarType parseDType(const std::string& name, const torch::Device& device);
std::string dtypeString(torch::ScalarType dtype);

// Uses every core for intra-op parallelism (LibTorch starts with one thread on some builds).
void configureThreads(int threads = 0);

}  // namespace sena::model
