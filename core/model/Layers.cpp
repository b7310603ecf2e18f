#include "model/Layers.h"

#include "util/Error.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <atomic>
#include <cmath>

namespace sena::model {
namespace F = torch::nn::functional;

namespace {
std::atomic<bool> g_referenceAttention{false};
}

void setReferenceAttention(bool on) { g_referenceAttention = on; }

torch::Tensor applyActivation(const torch::Tensor& x, Activation act) {
    switch (act) {
    case Activation::QuickGelu: return x * torch::sigmoid(1.702 * x);
    case Activation::Gelu: return torch::gelu(x);
    case Activation::GeluTanh: return torch::gelu(x, "tanh");
    case Activation::Silu: return torch::silu(x);
    }
    return x;
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale) {
    const int64_t groups = q.size(1) / k.size(1);
#if TORCH_VERSION_MAJOR >= 2
    if (!g_referenceAttention.load(std::memory_order_relaxed)) {
        c10::optional<torch::Tensor> m;
        if (mask.defined())
            m = mask;
        return at::scaled_dot_product_attention(q, k, v, m, 0.0, false, scale, groups > 1);
    }
#endif
    torch::Tensor kk = k, vv = v;
    if (groups > 1) {
        kk = k.repeat_interleave(groups, 1);
        vv = v.repeat_interleave(groups, 1);
    }
    torch::Tensor scores = torch::matmul(q, kk.transpose(-2, -1)) * scale;
    if (mask.defined())
        scores = scores + mask;
    torch::Tensor probs = torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type());
    return torch::matmul(probs, vv);
}

torch::Tensor causalMask(const torch::Tensor& keyMask, int64_t queryLength, torch::ScalarType dtype,
                         int64_t slidingWindow) {
    const int64_t batch = keyMask.size(0);
    const int64_t keys = keyMask.size(1);
    auto dev = keyMask.device();
    auto kpos = torch::arange(keys, torch::TensorOptions().dtype(torch::kLong).device(dev));
    auto qpos = torch::arange(keys - queryLength, keys, torch::TensorOptions().dtype(torch::kLong).device(dev));
    // allowed[i, j]: key j is at or before query i (and inside the window).
    auto allowed = kpos.unsqueeze(0) <= qpos.unsqueeze(1);
    if (slidingWindow > 0)
        allowed = allowed & (kpos.unsqueeze(0) > (qpos.unsqueeze(1) - slidingWindow));
    auto full = allowed.unsqueeze(0) & keyMask.to(torch::kBool).unsqueeze(1);  // [B, Lq, Lk]
    const double lowest = dtype == torch::kBFloat16 ? -3.3895313892515355e38
                          : dtype == torch::kFloat16 ? -65504.0
                          : dtype == torch::kFloat64 ? std::numeric_limits<double>::lowest()
                                                     : static_cast<double>(std::numeric_limits<float>::lowest());
    auto mask = torch::zeros({batch, 1, queryLength, keys}, torch::TensorOptions().dtype(dtype).device(dev));
    mask.masked_fill_(full.logical_not().unsqueeze(1), lowest);
    return mask;
}

torch::Tensor positionsFromMask(const torch::Tensor& mask) {
    auto m = mask.to(torch::kLong);
    auto pos = m.cumsum(-1) - 1;
    pos.masked_fill_(m == 0, 1);
    return pos;
}

LinearImpl::LinearImpl(int64_t in, int64_t out, bool hasBias, const torch::TensorOptions& options) {
    weight = register_parameter("weight", torch::empty({out, in}, options));
    if (hasBias)
        bias = register_parameter("bias", torch::empty({out}, options));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) {
    auto y = torch::linear(x, weight, bias);
    if (!m_loraA || !m_loraEnabled)
        return y;
    const auto& a = loraA();
    auto h = x.to(a.scalar_type());
    if (m_loraDropout > 0 && is_training())
        h = torch::dropout(h, m_loraDropout, true);
    auto delta = torch::linear(torch::linear(h, a), loraB()) * m_loraScaling;
    return y + delta.to(y.scalar_type());
}

void LinearImpl::attachLora(int64_t rank, double scaling, double dropout, torch::ScalarType dtype) {
    if (m_loraA)
        throw InputError("this layer already has a LoRA adapter; remove or merge it first");
    if (rank <= 0)
        throw InputError("LoRA rank must be positive");
    auto opts = torch::TensorOptions().dtype(dtype).device(weight.device());
    m_loraA = std::make_shared<torch::nn::Module>();
    m_loraA->register_parameter("weight", torch::empty({rank, inFeatures()}, opts));
    m_loraB = std::make_shared<torch::nn::Module>();
    m_loraB->register_parameter("weight", torch::empty({outFeatures(), rank}, opts));
    register_module("lora_A", m_loraA);
    register_module("lora_B", m_loraB);
    m_loraScaling = scaling;
    m_loraDropout = dropout;
    m_loraEnabled = true;
}

torch::Tensor LinearImpl::loraA() const { return m_loraA->named_parameters(false)["weight"]; }
torch::Tensor LinearImpl::loraB() const { return m_loraB->named_parameters(false)["weight"]; }

void LinearImpl::mergeLora() {
    if (!m_loraA)
        return;
    torch::NoGradGuard noGrad;
    auto delta = torch::matmul(loraB().to(torch::kFloat32), loraA().to(torch::kFloat32)) * m_loraScaling;
    weight.add_(delta.to(weight.scalar_type()));
    removeLora();
}

void LinearImpl::removeLora() {
    if (!m_loraA)
        return;
    unregister_module("lora_A");
    unregister_module("lora_B");
    m_loraA.reset();
    m_loraB.reset();
}

EmbeddingImpl::EmbeddingImpl(int64_t count, int64_t dim, const torch::TensorOptions& options) {
    weight = register_parameter("weight", torch::empty({count, dim}, options));
}

torch::Tensor EmbeddingImpl::forward(const torch::Tensor& ids) { return torch::embedding(weight, ids); }

LayerNormImpl::LayerNormImpl(int64_t size, double eps, const torch::TensorOptions& options) : m_eps(eps) {
    weight = register_parameter("weight", torch::ones({size}, options));
    bias = register_parameter("bias", torch::zeros({size}, options));
}

torch::Tensor LayerNormImpl::forward(const torch::Tensor& x) {
    return torch::layer_norm(x, {weight.size(0)}, weight, bias, m_eps);
}

RMSNormImpl::RMSNormImpl(int64_t size, double eps, const torch::TensorOptions& options) : m_eps(eps) {
    weight = register_parameter("weight", torch::ones({size}, options));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
    auto xf = x.to(torch::kFloat32);
    auto y = xf * torch::rsqrt(xf.pow(2).mean(-1, true) + m_eps);
    return weight * y.to(x.scalar_type());
}

RotaryEmbedding::RotaryEmbedding(const TextConfig& config) {
    const int64_t dim = config.headDim;
    auto exponents = torch::arange(0, dim, 2, torch::kLong).to(torch::kFloat32) / static_cast<double>(dim);
    auto invFreq = 1.0 / torch::pow(torch::scalar_tensor(config.rope.theta, torch::kFloat32), exponents);
    const auto& r = config.rope;
    if (r.type == "linear") {
        m_positionScale = 1.0 / r.factor;
    } else if (r.type == "llama3") {
        const double lowWavelen = r.originalMaxPositions / r.lowFreqFactor;
        const double highWavelen = r.originalMaxPositions / r.highFreqFactor;
        auto wavelen = 2.0 * M_PI / invFreq;
        auto scaled = torch::where(wavelen > lowWavelen, invFreq / r.factor, invFreq);
        auto smooth = (static_cast<double>(r.originalMaxPositions) / wavelen - r.lowFreqFactor) / (r.highFreqFactor - r.lowFreqFactor);
        auto smoothed = (1 - smooth) * scaled / r.factor + smooth * scaled;
        auto medium = (wavelen >= highWavelen) & (wavelen <= lowWavelen);
        invFreq = torch::where(medium, smoothed, scaled);
    }
    m_invFreq = invFreq;
}

std::pair<torch::Tensor, torch::Tensor> RotaryEmbedding::tables(const torch::Tensor& positions,
                                                                torch::ScalarType dtype) const {
    auto inv = m_invFreq.to(positions.device());
    auto pos = positions.to(torch::kFloat32);
    if (m_positionScale != 1.0)
        pos = pos * m_positionScale;
    auto freqs = pos.unsqueeze(-1) * inv.view({1, 1, -1});
    auto emb = torch::cat({freqs, freqs}, -1);
    return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

torch::Tensor RotaryEmbedding::apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
    // x: [B, H, L, D]; cos/sin: [B, L, D]
    const int64_t half = x.size(-1) / 2;
    auto rotated = torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
    auto c = cos.unsqueeze(1), s = sin.unsqueeze(1);
    return x * c + rotated * s;
}

void initRandom(torch::nn::Module& module, double std, uint64_t seed) {
    torch::NoGradGuard noGrad;
    torch::manual_seed(seed);
    for (auto& p : module.named_parameters()) {
        const auto& name = p.key();
        auto& t = p.value();
        const bool isNorm = name.find("norm") != std::string::npos || name.find("layrnorm") != std::string::npos;
        if (isNorm && name.size() > 6 && name.compare(name.size() - 6, 6, "weight") == 0)
            t.fill_(1.0);
        else if (t.dim() >= 2)
            t.normal_(0.0, std);
        else
            t.normal_(0.0, std / 4);
    }
}

}  // namespace sena::model
