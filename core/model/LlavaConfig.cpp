#include "model/LlavaConfig.h"

#include "util/Error.h"

#include <algorithm>

namespace sena::model {
using util::Json;
using util::JsonObject;

const char* activationName(Activation act) {
    switch (act) {
    case Activation::QuickGelu: return "quick_gelu";
    case Activation::Gelu: return "gelu";
    case Activation::GeluTanh: return "gelu_pytorch_tanh";
    case Activation::Silu: return "silu";
    }
    return "?";
}

namespace {

Activation parseActivation(const JsonObject& obj, const std::string& key, Activation fallback) {
    const auto name = obj.optString(key);
    if (!name)
        return fallback;
    if (*name == "quick_gelu")
        return Activation::QuickGelu;
    if (*name == "gelu")
        return Activation::Gelu;
    if (*name == "gelu_pytorch_tanh" || *name == "gelu_new" || *name == "gelu_fast")
        return Activation::GeluTanh;
    if (*name == "silu" || *name == "swish")
        return Activation::Silu;
    throw ConfigError(obj.where() + ": activation '" + *name +
                      "' is not supported (supported: quick_gelu, gelu, gelu_pytorch_tanh, silu)");
}

int64_t positive(const JsonObject& obj, const std::string& key, int64_t fallback) {
    const int64_t v = obj.integer(key, fallback);
    if (v <= 0)
        obj.fail(key, "a positive integer");
    return v;
}

RopeConfig parseRope(const JsonObject& text) {
    RopeConfig rope;
    // transformers 5 keeps rope settings in rope_parameters; older files use rope_theta + rope_scaling.
    JsonObject params = text.object("rope_parameters");
    JsonObject scaling = text.object("rope_scaling");
    const JsonObject& src = params.raw().empty() ? scaling : params;
    rope.theta = params.optNumber("rope_theta").value_or(text.number("rope_theta", 10000.0));
    if (rope.theta <= 0)
        text.fail("rope_theta", "a positive number");
    std::string type = src.string("rope_type", src.string("type", "default"));
    if (type == "default" || type.empty()) {
        rope.type = "default";
    } else if (type == "linear") {
        rope.type = type;
        rope.factor = src.number("factor", 1.0);
    } else if (type == "llama3") {
        rope.type = type;
        rope.factor = src.number("factor", 8.0);
        rope.lowFreqFactor = src.number("low_freq_factor", 1.0);
        rope.highFreqFactor = src.number("high_freq_factor", 4.0);
        rope.originalMaxPositions = src.integer("original_max_position_embeddings", 8192);
    } else {
        throw ConfigError(text.where() + ": rope type '" + type +
                          "' is not supported (supported: default, linear, llama3)");
    }
    if (rope.factor <= 0)
        throw ConfigError(text.where() + ": rope factor must be positive");
    return rope;
}

std::vector<int64_t> parseIdList(const JsonObject& obj, const std::string& key) {
    if (obj.isNull(key))
        return {};
    const Json& v = obj.raw().at(key);
    std::vector<int64_t> out;
    if (v.is_array()) {
        for (const auto& e : v) {
            if (!e.is_number_integer())
                obj.fail(key, "an integer or a list of integers");
            out.push_back(e.get<int64_t>());
        }
    } else if (v.is_number_integer()) {
        out.push_back(v.get<int64_t>());
    } else {
        obj.fail(key, "an integer or a list of integers");
    }
    return out;
}

TextConfig parseText(const JsonObject& t) {
    TextConfig c;
    c.modelType = t.string("model_type", "llama");
    if (c.modelType == "llama") {
        c.arch = TextArch::Llama;
    } else if (c.modelType == "mistral") {
        c.arch = TextArch::Mistral;
        c.intermediateSize = 14336;
        c.numKvHeads = 8;
        c.maxPositions = 4096 * 32;
        c.slidingWindow = 4096;
    } else if (c.modelType == "qwen2") {
        c.arch = TextArch::Qwen2;
        c.vocabSize = 151936;
        c.intermediateSize = 22016;
        c.maxPositions = 32768;
    } else {
        throw ConfigError(t.where() + ": text model_type '" + c.modelType +
                          "' is not supported (supported: llama, mistral, qwen2)");
    }
    c.vocabSize = positive(t, "vocab_size", c.vocabSize);
    c.hiddenSize = positive(t, "hidden_size", c.hiddenSize);
    c.intermediateSize = positive(t, "intermediate_size", c.intermediateSize);
    c.numLayers = positive(t, "num_hidden_layers", c.numLayers);
    c.numHeads = positive(t, "num_attention_heads", c.numHeads);
    c.numKvHeads = positive(t, "num_key_value_heads", c.arch == TextArch::Mistral ? 8 : c.numHeads);
    c.headDim = positive(t, "head_dim", c.hiddenSize / c.numHeads);
    if (t.isNull("head_dim") && c.hiddenSize % c.numHeads != 0)
        throw ConfigError(t.where() + ": hidden_size " + std::to_string(c.hiddenSize) +
                          " is not divisible by num_attention_heads " + std::to_string(c.numHeads));
    if (c.numHeads % c.numKvHeads != 0)
        throw ConfigError(t.where() + ": num_attention_heads " + std::to_string(c.numHeads) +
                          " is not a multiple of num_key_value_heads " + std::to_string(c.numKvHeads));
    if (c.headDim % 2 != 0)
        throw ConfigError(t.where() + ": head_dim must be even for rotary embeddings");
    c.maxPositions = positive(t, "max_position_embeddings", c.maxPositions);
    c.rmsNormEps = t.number("rms_norm_eps", 1e-6);
    if (c.rmsNormEps <= 0)
        t.fail("rms_norm_eps", "a positive number");
    c.rope = parseRope(t);
    c.act = parseActivation(t, "hidden_act", Activation::Silu);
    if (c.arch == TextArch::Qwen2) {
        c.qkvBias = true;
    } else if (c.arch == TextArch::Llama) {
        c.qkvBias = c.oBias = t.boolean("attention_bias", false);
        c.mlpBias = t.boolean("mlp_bias", false);
    }
    c.tieWordEmbeddings = t.boolean("tie_word_embeddings", false);
    if (c.arch == TextArch::Mistral) {
        c.slidingWindow = t.optInteger("sliding_window");
    } else if (c.arch == TextArch::Qwen2) {
        if (t.boolean("use_sliding_window", false))
            c.slidingWindow = t.integer("sliding_window", 4096);
    }
    if (c.slidingWindow && *c.slidingWindow <= 0)
        t.fail("sliding_window", "a positive integer or null");
    c.bosTokenId = t.optInteger("bos_token_id");
    c.eosTokenIds = parseIdList(t, "eos_token_id");
    c.padTokenId = t.optInteger("pad_token_id");
    return c;
}

VisionConfig parseVision(const JsonObject& v, bool present) {
    VisionConfig c;
    c.modelType = v.string("model_type", "clip_vision_model");
    if (c.modelType == "clip_vision_model") {
        c.arch = VisionArch::Clip;
        if (present) {  // CLIPVisionConfig class defaults; LLaVA's own default is CLIP-L/336 below.
            c.hiddenSize = 768, c.intermediateSize = 3072, c.numLayers = 12, c.numHeads = 12;
            c.imageSize = 224, c.patchSize = 32;
        }
        c.layerNormEps = 1e-5;
        c.act = Activation::QuickGelu;
    } else if (c.modelType == "siglip_vision_model") {
        c.arch = VisionArch::Siglip;
        c.hiddenSize = 768, c.intermediateSize = 3072, c.numLayers = 12, c.numHeads = 12;
        c.imageSize = 224, c.patchSize = 16;
        c.layerNormEps = 1e-6;
        c.act = Activation::GeluTanh;
    } else {
        throw ConfigError(v.where() + ": vision model_type '" + c.modelType +
                          "' is not supported (supported: clip_vision_model, siglip_vision_model)");
    }
    c.hiddenSize = positive(v, "hidden_size", c.hiddenSize);
    c.intermediateSize = positive(v, "intermediate_size", c.intermediateSize);
    c.numLayers = positive(v, "num_hidden_layers", c.numLayers);
    c.numHeads = positive(v, "num_attention_heads", c.numHeads);
    c.numChannels = positive(v, "num_channels", 3);
    c.imageSize = positive(v, "image_size", c.imageSize);
    c.patchSize = positive(v, "patch_size", c.patchSize);
    c.layerNormEps = v.number("layer_norm_eps", c.layerNormEps);
    c.act = parseActivation(v, "hidden_act", c.act);
    if (c.hiddenSize % c.numHeads != 0)
        throw ConfigError(v.where() + ": hidden_size is not divisible by num_attention_heads");
    // image_size need not be a multiple of patch_size (SigLIP-so400m: 384/14): the strided
    // convolution drops the remainder, as in HF.
    if (c.patchSize > c.imageSize)
        throw ConfigError(v.where() + ": patch_size " + std::to_string(c.patchSize) + " exceeds image_size " +
                          std::to_string(c.imageSize));
    return c;
}

std::string dtypeFromConfig(const JsonObject& obj) {
    auto d = obj.optString("dtype");
    if (!d)
        d = obj.optString("torch_dtype");
    if (!d)
        return "float32";
    if (*d == "float32" || *d == "bfloat16" || *d == "float16")
        return *d;
    if (*d == "float")
        return "float32";
    if (*d == "half")
        return "float16";
    throw ConfigError(obj.where() + ": dtype '" + *d + "' is not supported (float32, bfloat16, float16)");
}

}  // namespace

int64_t LlavaConfig::imageSeqLength() const {
    return vision.numPositions() - (selectStrategy == "default" ? 1 : 0);
}

std::vector<int64_t> LlavaConfig::featureLayerIndices() const {
    std::vector<int64_t> out;
    for (int64_t l : featureLayers)
        out.push_back(l < 0 ? l + vision.numLayers + 1 : l);
    return out;
}

int64_t LlavaConfig::visionLayersNeeded() const {
    int64_t most = 0;
    for (int64_t i : featureLayerIndices())
        most = std::max(most, i);
    return most;
}

LlavaConfig LlavaConfig::fromFile(const std::string& path) {
    return fromJson(util::readJsonFile(path), path);
}

LlavaConfig LlavaConfig::fromJson(const Json& json, const std::string& where) {
    JsonObject top(json, where);
    const std::string modelType = top.string("model_type", "");
    if (modelType != "llava") {
        if (modelType.empty())
            throw ConfigError(where + ": 'model_type' is missing; expected \"llava\" (a LlavaForConditionalGeneration checkpoint)");
        throw ConfigError(where + ": model_type '" + modelType +
                          "' is not supported; this engine runs LlavaForConditionalGeneration (model_type \"llava\")");
    }
    if (top.has("architectures")) {
        const Json& archs = json.at("architectures");
        if (!archs.is_array())
            top.fail("architectures", "a list of class names");
        for (const auto& a : archs)
            if (!a.is_string() || a.get<std::string>() != "LlavaForConditionalGeneration")
                throw ConfigError(where + ": architecture " + a.dump() +
                                  " is not supported (supported: LlavaForConditionalGeneration)");
    }
    LlavaConfig c;
    c.text = parseText(top.object("text_config"));
    c.vision = parseVision(top.object("vision_config"), !top.isNull("vision_config"));
    if (top.has("image_token_index") && !top.isNull("image_token_index"))
        c.imageTokenId = top.integer("image_token_index", 32000);
    else
        c.imageTokenId = top.integer("image_token_id", 32000);
    // An id past the vocabulary is allowed (HF masks it before the embedding lookup).
    if (c.imageTokenId < 0)
        throw ConfigError(where + ": image token id " + std::to_string(c.imageTokenId) + " is negative");
    if (!top.isNull("vision_feature_layer")) {
        const Json& fl = json.at("vision_feature_layer");
        c.featureLayers.clear();
        if (fl.is_array()) {
            c.featureLayerIsList = true;
            for (const auto& e : fl) {
                if (!e.is_number_integer())
                    top.fail("vision_feature_layer", "an integer or a list of integers");
                c.featureLayers.push_back(e.get<int64_t>());
            }
            if (c.featureLayers.empty())
                top.fail("vision_feature_layer", "a non-empty list");
        } else if (fl.is_number_integer()) {
            c.featureLayers.push_back(fl.get<int64_t>());
        } else {
            top.fail("vision_feature_layer", "an integer or a list of integers");
        }
    }
    for (int64_t idx : c.featureLayerIndices())
        if (idx < 0 || idx > c.vision.numLayers)
            throw ConfigError(where + ": vision_feature_layer selects hidden state " + std::to_string(idx) +
                              " but the vision tower has only " + std::to_string(c.vision.numLayers + 1));
    c.selectStrategy = top.string("vision_feature_select_strategy", "default");
    if (c.selectStrategy != "default" && c.selectStrategy != "full")
        throw ConfigError(where + ": vision_feature_select_strategy '" + c.selectStrategy +
                          "' is not supported (default, full)");
    c.projectorAct = parseActivation(top, "projector_hidden_act", Activation::Gelu);
    c.projectorBias = top.boolean("multimodal_projector_bias", true);
    // A tied head in the text config wins over an untied top-level default (HF's precedence).
    c.text.tieWordEmbeddings = c.text.tieWordEmbeddings || top.boolean("tie_word_embeddings", false);
    c.dtype = dtypeFromConfig(top);
    return c;
}

Json LlavaConfig::toJson() const {
    const auto& t = text;
    const auto& v = vision;
    Json rope = {{"rope_type", t.rope.type}, {"rope_theta", t.rope.theta}};
    if (t.rope.type != "default")
        rope["factor"] = t.rope.factor;
    if (t.rope.type == "llama3") {
        rope["low_freq_factor"] = t.rope.lowFreqFactor;
        rope["high_freq_factor"] = t.rope.highFreqFactor;
        rope["original_max_position_embeddings"] = t.rope.originalMaxPositions;
    }
    Json textJson = {{"model_type", t.modelType},
                     {"vocab_size", t.vocabSize},
                     {"hidden_size", t.hiddenSize},
                     {"intermediate_size", t.intermediateSize},
                     {"num_hidden_layers", t.numLayers},
                     {"num_attention_heads", t.numHeads},
                     {"num_key_value_heads", t.numKvHeads},
                     {"head_dim", t.headDim},
                     {"max_position_embeddings", t.maxPositions},
                     {"rms_norm_eps", t.rmsNormEps},
                     {"rope_parameters", rope},
                     {"hidden_act", activationName(t.act)},
                     {"qkv_bias", t.qkvBias},
                     {"o_bias", t.oBias},
                     {"mlp_bias", t.mlpBias},
                     {"tie_word_embeddings", t.tieWordEmbeddings},
                     {"sliding_window", t.slidingWindow ? Json(*t.slidingWindow) : Json()},
                     {"bos_token_id", t.bosTokenId ? Json(*t.bosTokenId) : Json()},
                     {"eos_token_id", t.eosTokenIds},
                     {"pad_token_id", t.padTokenId ? Json(*t.padTokenId) : Json()}};
    Json visionJson = {{"model_type", v.modelType},
                       {"hidden_size", v.hiddenSize},
                       {"intermediate_size", v.intermediateSize},
                       {"num_hidden_layers", v.numLayers},
                       {"num_attention_heads", v.numHeads},
                       {"num_channels", v.numChannels},
                       {"image_size", v.imageSize},
                       {"patch_size", v.patchSize},
                       {"layer_norm_eps", v.layerNormEps},
                       {"hidden_act", activationName(v.act)}};
    Json featureLayer = featureLayerIsList ? Json(featureLayers) : Json(featureLayers.front());
    return {{"model_type", "llava"},
            {"dtype", dtype},
            {"image_token_index", imageTokenId},
            {"image_seq_length", imageSeqLength()},
            {"vision_feature_layer", featureLayer},
            {"vision_feature_select_strategy", selectStrategy},
            {"projector_hidden_act", activationName(projectorAct)},
            {"multimodal_projector_bias", projectorBias},
            {"text_config", textJson},
            {"vision_config", visionJson}};
}

}  // namespace sena::model
