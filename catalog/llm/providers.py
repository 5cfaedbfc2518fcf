"""Provider builders: each makes a model handle for one chat API from an endpoint, a key and a model name.

Three wire formats cover them all: Anthropic's Messages API, Ollama's chat API, and OpenAI's chat completions,
which most services also speak (Groq, DeepSeek, Mistral, Together, xAI, OpenRouter, Gemini's and Cohere's
compatibility endpoints, Mira, vLLM, LM Studio, llama.cpp's server...). The defaults are each service's
OpenAI-compatible base URL; point the endpoint at any server that speaks the same format. VoyageAI serves
embeddings only: its handle goes into the Embed nodes.
"""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.llm import timeouts
from flowlike_catalog.llm.structs import LanguageModel, Provider
from pydantic import SecretStr

from flowlike_core import Pin, node

CATEGORY = "AI/Generative/Provider"

Endpoint = Annotated[str, Pin(description="Base URL of the API")]
ApiKey = Annotated[str, Pin("API Key", sensitive=True, description="Feed it from a secret variable")]
ModelId = Annotated[str, Pin("Model", description="The model's name at the provider")]
ModelOut = Annotated[LanguageModel, Pin(name="model")]


def build(provider: Provider, label: str, endpoint: str, api_key: str, model_id: str) -> LanguageModel:
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"{label}: endpoint must be an http(s) URL, got {endpoint!r}")
    return LanguageModel(provider=provider, label=label, endpoint=endpoint, api_key=SecretStr(api_key),
                         model_id=model_id)


@node(friendly_name="OpenAI", exec_pins=True)
def ai_generative_build_openai(provider: Annotated[str, Pin(description="The service's name, shown in errors")]
                               = "OpenAI", endpoint: Endpoint = "https://api.openai.com/v1/", api_key: ApiKey = "",
                               model_id: ModelId = "gpt-4o-mini") -> ModelOut:
    """Any OpenAI-compatible chat completions API (OpenAI, vLLM, LM Studio, llama.cpp's server...)."""
    return build("openai", provider or "OpenAI", endpoint, api_key, model_id)


@node(friendly_name="Anthropic", exec_pins=True)
def ai_generative_build_anthropic(endpoint: Endpoint = "https://api.anthropic.com", api_key: ApiKey = "",
                                  model_id: ModelId = "claude-3-5-sonnet-20241022") -> ModelOut:
    """Anthropic's Messages API."""
    return build("anthropic", "Anthropic", endpoint, api_key, model_id)


@node(friendly_name="Ollama", exec_pins=True)
def ai_generative_build_ollama(endpoint: Endpoint = "http://localhost:11434", model_id: ModelId = "llama3.3"
                               ) -> ModelOut:
    """A local Ollama server's chat API (no key)."""
    return build("ollama", "Ollama", endpoint, "", model_id)


@node(friendly_name="Groq", exec_pins=True)
def ai_generative_build_groq(endpoint: Endpoint = "https://api.groq.com/openai/v1", api_key: ApiKey = "",
                             model_id: ModelId = "llama-3.3-70b-versatile") -> ModelOut:
    """Groq (OpenAI-compatible)."""
    return build("openai", "Groq", endpoint, api_key, model_id)


@node(friendly_name="DeepSeek", exec_pins=True)
def ai_generative_build_deepseek(endpoint: Endpoint = "https://api.deepseek.com", api_key: ApiKey = "",
                                 model_id: ModelId = "deepseek-chat") -> ModelOut:
    """DeepSeek (OpenAI-compatible)."""
    return build("openai", "DeepSeek", endpoint, api_key, model_id)


@node(friendly_name="Mistral", exec_pins=True)
def ai_generative_build_mistral(endpoint: Endpoint = "https://api.mistral.ai/v1", api_key: ApiKey = "",
                                model_id: ModelId = "mistral-large-latest") -> ModelOut:
    """Mistral (OpenAI-compatible)."""
    return build("openai", "Mistral", endpoint, api_key, model_id)


@node(friendly_name="Together", exec_pins=True)
def ai_generative_build_together(endpoint: Endpoint = "https://api.together.xyz/v1", api_key: ApiKey = "",
                                 model_id: ModelId = "meta-llama/Llama-3.3-70B-Instruct-Turbo") -> ModelOut:
    """Together AI (OpenAI-compatible)."""
    return build("openai", "Together", endpoint, api_key, model_id)


@node(friendly_name="xAI", exec_pins=True)
def ai_generative_build_xai(endpoint: Endpoint = "https://api.x.ai/v1", api_key: ApiKey = "",
                            model_id: ModelId = "grok-2-1212") -> ModelOut:
    """xAI's Grok (OpenAI-compatible)."""
    return build("openai", "xAI", endpoint, api_key, model_id)


@node(friendly_name="OpenRouter", exec_pins=True)
def ai_generative_build_openrouter(endpoint: Endpoint = "https://openrouter.ai/api/v1", api_key: ApiKey = "",
                                   model_id: ModelId = "meta-llama/llama-3.3-70b-instruct") -> ModelOut:
    """OpenRouter (OpenAI-compatible)."""
    return build("openai", "OpenRouter", endpoint, api_key, model_id)


@node(friendly_name="Perplexity", exec_pins=True)
def ai_generative_build_perplexity(endpoint: Endpoint = "https://api.perplexity.ai", api_key: ApiKey = "",
                                   model_id: ModelId = "sonar") -> ModelOut:
    """Perplexity (OpenAI-compatible)."""
    return build("openai", "Perplexity", endpoint, api_key, model_id)


@node(friendly_name="Moonshot", exec_pins=True)
def ai_generative_build_moonshot(endpoint: Endpoint = "https://api.moonshot.cn/v1", api_key: ApiKey = "",
                                 model_id: ModelId = "moonshot-v1-8k") -> ModelOut:
    """Moonshot AI (OpenAI-compatible)."""
    return build("openai", "Moonshot", endpoint, api_key, model_id)


@node(friendly_name="Hyperbolic", exec_pins=True)
def ai_generative_build_hyperbolic(endpoint: Endpoint = "https://api.hyperbolic.xyz/v1", api_key: ApiKey = "",
                                   model_id: ModelId = "meta-llama/Meta-Llama-3.1-70B-Instruct") -> ModelOut:
    """Hyperbolic (OpenAI-compatible)."""
    return build("openai", "Hyperbolic", endpoint, api_key, model_id)


@node(friendly_name="Hugging Face", exec_pins=True)
def ai_generative_build_huggingface(endpoint: Endpoint = "https://router.huggingface.co/v1", api_key: ApiKey = "",
                                    model_id: ModelId = "meta-llama/Meta-Llama-3-8B-Instruct") -> ModelOut:
    """Hugging Face's inference router (OpenAI-compatible)."""
    return build("openai", "Hugging Face", endpoint, api_key, model_id)


@node(friendly_name="Gemini", exec_pins=True)
def ai_generative_build_gemini(endpoint: Endpoint = "https://generativelanguage.googleapis.com/v1beta/openai",
                               api_key: ApiKey = "", model_id: ModelId = "gemini-2.5-flash") -> ModelOut:
    """Google Gemini through its OpenAI-compatible endpoint."""
    return build("openai", "Gemini", endpoint, api_key, model_id)


@node(friendly_name="Cohere", exec_pins=True)
def ai_generative_build_cohere(endpoint: Endpoint = "https://api.cohere.ai/compatibility/v1", api_key: ApiKey = "",
                               model_id: ModelId = "command-r-plus-08-2024") -> ModelOut:
    """Cohere through its OpenAI-compatible endpoint."""
    return build("openai", "Cohere", endpoint, api_key, model_id)


@node(friendly_name="Galadriel", exec_pins=True)
def ai_generative_build_galadriel(endpoint: Endpoint = "https://api.galadriel.com/v1/verified", api_key: ApiKey = "",
                                  model_id: ModelId = "llama3.1:70b") -> ModelOut:
    """Galadriel (OpenAI-compatible)."""
    return build("openai", "Galadriel", endpoint, api_key, model_id)


@node(friendly_name="Mira", exec_pins=True)
def ai_generative_build_mira(endpoint: Endpoint = "https://api.mira.network", api_key: ApiKey = "",
                             model_id: ModelId = "mira-v1") -> ModelOut:
    """Mira Network (OpenAI's chat format under the endpoint's `/v1`)."""
    base = endpoint.rstrip("/")
    return build("openai", "Mira", base if base.endswith("/v1") else base + "/v1", api_key, model_id)


@node(friendly_name="VoyageAI", exec_pins=True)
def ai_generative_build_voyageai(endpoint: Endpoint = "https://api.voyageai.com/v1", api_key: ApiKey = "",
                                 model_id: ModelId = "voyage-3") -> ModelOut:
    """VoyageAI's embedding API: wire the model into Embed Document, Embed Query or Embed Documents (VoyageAI has
    no chat API)."""
    return build("voyageai", "VoyageAI", endpoint, api_key, model_id)


@node(friendly_name="Add Headers", category="AI/Generative", exec_pins=True)
def ai_generative_add_headers(model: LanguageModel,
                              header: Annotated[dict, Pin(description="Header names to values")] = None
                              ) -> Annotated[LanguageModel, Pin("Model", name="model_out")]:
    """Extra HTTP headers sent with every request of the model (organisation ids, proxies' headers...)."""
    model = LanguageModel.model_validate(model)
    if not all(isinstance(v, str) for v in (header or {}).values()):
        raise TypeError("header values must be strings")
    return model.model_copy(update={"headers": {**model.headers, **(header or {})}})


@node(friendly_name="Set Model Timeout", category="AI/Generative", exec_pins=True)
def ai_generative_set_model_timeout(model: LanguageModel,
                                    seconds: Annotated[float, Pin(description="Seconds a call waits for the next "
                                                                  "bytes of the answer")] = 300.0
                                    ) -> Annotated[LanguageModel, Pin("Model", name="model_out")]:
    """How long each call of the model waits for its answer before it fails: longer for a slow local model, shorter
    to fail fast. Without it, FLOWLIKE_LLM_TIMEOUT, else 300 s (Flow-Like has no such setting)."""
    model = LanguageModel.model_validate(model)
    return model.model_copy(update={"timeout": timeouts.seconds(seconds, "Set Model Timeout: seconds")})
