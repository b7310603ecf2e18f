#pragma once
// Conversion between safetensors byte views and torch tensors.
#include "model/Safetensors.h"

#include <torch/types.h>

namespace sena::model {

torch::ScalarType torchDType(DType dtype);
DType safetensorsDType(torch::ScalarType dtype);  // throws InputError for types safetensors lacks

// Copies the view into a new tensor on `device` with `dtype` (kUndefined keeps the stored dtype).
torch::Tensor toTensor(const TensorView& view, const torch::Device& device = torch::kCPU,
                       torch::ScalarType dtype = torch::ScalarType::Undefined);

// Adds a tensor (moved to CPU, made contiguous) to a writer.
void addTensor(SafetensorsWriter& writer, const std::string& name, const torch::Tensor& tensor);

}  // namespace sena::model
