#include "model/TensorIO.h"

#include "util/Error.h"

#include <torch/torch.h>

#include <cstring>

namespace sena::model {

torch::ScalarType torchDType(DType dtype) {
    switch (dtype) {
    case DType::Bool: return torch::kBool;
    case DType::U8: return torch::kUInt8;
    case DType::I8: return torch::kInt8;
    case DType::I16: return torch::kInt16;
    case DType::F16: return torch::kFloat16;
    case DType::BF16: return torch::kBFloat16;
    case DType::I32: return torch::kInt32;
    case DType::F32: return torch::kFloat32;
    case DType::F64: return torch::kFloat64;
    case DType::I64: return torch::kInt64;
    case DType::U16:
    case DType::U32:
    case DType::U64: break;
    }
    throw FormatError(std::string("safetensors dtype ") + dtypeName(dtype) +
                      " has no LibTorch equivalent in this build; convert the tensor to a signed type");
}

DType safetensorsDType(torch::ScalarType dtype) {
    switch (dtype) {
    case torch::kBool: return DType::Bool;
    case torch::kUInt8: return DType::U8;
    case torch::kInt8: return DType::I8;
    case torch::kInt16: return DType::I16;
    case torch::kFloat16: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kInt32: return DType::I32;
    case torch::kFloat32: return DType::F32;
    case torch::kFloat64: return DType::F64;
    case torch::kInt64: return DType::I64;
    default: break;
    }
    throw InputError(std::string("tensors of type ") + c10::toString(dtype) + " cannot be saved as safetensors");
}

torch::Tensor toTensor(const TensorView& view, const torch::Device& device, torch::ScalarType dtype) {
    const torch::ScalarType stored = torchDType(view.dtype);
    if (dtype == torch::ScalarType::Undefined)
        dtype = stored;
    const std::size_t elem = dtypeSize(view.dtype);
    std::vector<std::uint8_t> aligned;
    const void* src = view.data;
    // Older writers did not pad the header, so data may be misaligned for its element type.
    if (view.bytes > 0 && reinterpret_cast<std::uintptr_t>(src) % elem != 0) {
        aligned.assign(view.data, view.data + view.bytes);
        src = aligned.data();
    }
    auto opts = torch::TensorOptions().dtype(stored);
    if (view.bytes == 0)
        return torch::empty(view.shape, opts).to(device, dtype);
    torch::Tensor borrowed = torch::from_blob(const_cast<void*>(src), view.shape, opts);
    return borrowed.to(device, dtype, /*non_blocking=*/false, /*copy=*/true);
}

void addTensor(SafetensorsWriter& writer, const std::string& name, const torch::Tensor& tensor) {
    torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    std::vector<std::int64_t> shape(t.sizes().begin(), t.sizes().end());
    writer.add(name, safetensorsDType(t.scalar_type()), shape, t.data_ptr(),
               static_cast<std::size_t>(t.numel()) * t.element_size());
}

}  // namespace sena::model
