"""Writes a tiny random GPT-2 checkpoint in the Hugging Face layout plus reference logits.

The model is computed here with plain PyTorch, following Hugging Face's GPT2LMHeadModel (Conv1D weights
[in, out], gelu_new, pre-LayerNorm blocks, tied LM head). With a second argument "gelu" the MLP uses the exact
GELU instead, and config.json says activation_function "gelu" (Hugging Face's name for it). The weights file is written with a hand-made
safetensors writer and keeps the quirks of files on the hub: names without the "transformer." prefix and
the old attention-mask buffers "h.N.attn.bias", which a loader must skip.

Run with Debian's python3 and python3-torch:  /usr/bin/python3 make_gpt2_fixture.py OUT_DIR [gelu]
(src/test/resources/gpt2-tiny without, gpt2-tiny-gelu with it).

"verify CHECKPOINT_DIR IDS_JSON" instead reads a checkpoint written by the Java side (its safetensors with a
hand-made reader, its config.json) and prints the logits of the given ids as JSON, so a test can check that
what Java writes means the same model to PyTorch.
"""
import json
import math
import struct
import sys

import torch

N_LAYER, N_EMBD, N_HEAD, N_POSITIONS, VOCAB = 2, 16, 4, 16, 64
EPS = 1e-5
N_INNER = 4 * N_EMBD
ACTIVATION = "gelu_new"


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def activation(x):
    return torch.nn.functional.gelu(x) if ACTIVATION == "gelu" else gelu_new(x)


def make_params(gen):
    def normal(*shape, std=0.1):
        return torch.randn(*shape, generator=gen) * std

    p = {"wte.weight": normal(VOCAB, N_EMBD, std=0.3), "wpe.weight": normal(N_POSITIONS, N_EMBD, std=0.3)}
    d = N_EMBD
    for i in range(N_LAYER):
        h = f"h.{i}."
        p[h + "ln_1.weight"] = 1.0 + normal(d)
        p[h + "ln_1.bias"] = normal(d)
        p[h + "attn.c_attn.weight"] = normal(d, 3 * d, std=0.3)
        p[h + "attn.c_attn.bias"] = normal(3 * d)
        p[h + "attn.c_proj.weight"] = normal(d, d, std=0.3)
        p[h + "attn.c_proj.bias"] = normal(d)
        p[h + "ln_2.weight"] = 1.0 + normal(d)
        p[h + "ln_2.bias"] = normal(d)
        p[h + "mlp.c_fc.weight"] = normal(d, 4 * d, std=0.3)
        p[h + "mlp.c_fc.bias"] = normal(4 * d)
        p[h + "mlp.c_proj.weight"] = normal(4 * d, d, std=0.3)
        p[h + "mlp.c_proj.bias"] = normal(d)
    p["ln_f.weight"] = 1.0 + normal(d)
    p["ln_f.bias"] = normal(d)
    return p


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        if e["dtype"] != "F32":  # the old attention-mask buffers
            continue
        begin, end = e["data_offsets"]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        out[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(e["shape"]).clone()
    return out


def verify(directory, ids_json):
    global N_LAYER, N_EMBD, N_HEAD, N_POSITIONS, VOCAB, EPS, N_INNER, ACTIVATION
    with open(f"{directory}/config.json") as f:
        c = json.load(f)
    N_LAYER, N_EMBD, N_HEAD, N_POSITIONS, VOCAB = c["n_layer"], c["n_embd"], c["n_head"], c["n_positions"], c["vocab_size"]
    EPS, N_INNER = c["layer_norm_epsilon"], c.get("n_inner") or 4 * c["n_embd"]
    ACTIVATION = c.get("activation_function", "gelu_new")
    params = {k[len("transformer."):] if k.startswith("transformer.") else k: v
              for k, v in read_safetensors(f"{directory}/model.safetensors").items()}
    with torch.no_grad():
        logits = forward(params, torch.tensor(json.loads(ids_json)))
    print(json.dumps(logits.tolist()))


def forward(p, ids):
    b, t = ids.shape
    hd = N_EMBD // N_HEAD
    x = p["wte.weight"][ids] + p["wpe.weight"][torch.arange(t)][None]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for i in range(N_LAYER):
        h = f"h.{i}."
        a = torch.nn.functional.layer_norm(x, (N_EMBD,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], EPS)
        qkv = a @ p[h + "attn.c_attn.weight"] + p[h + "attn.c_attn.bias"]
        q, k, v = qkv.split(N_EMBD, dim=2)
        q, k, v = (z.view(b, t, N_HEAD, hd).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = torch.where(causal, att, torch.tensor(torch.finfo(att.dtype).min))
        y = att.softmax(-1) @ v
        y = y.transpose(1, 2).reshape(b, t, N_EMBD)
        x = x + (y @ p[h + "attn.c_proj.weight"] + p[h + "attn.c_proj.bias"])
        c = torch.nn.functional.layer_norm(x, (N_EMBD,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], EPS)
        f = activation(c @ p[h + "mlp.c_fc.weight"] + p[h + "mlp.c_fc.bias"])
        x = x + (f @ p[h + "mlp.c_proj.weight"] + p[h + "mlp.c_proj.bias"])
    x = torch.nn.functional.layer_norm(x, (N_EMBD,), p["ln_f.weight"], p["ln_f.bias"], EPS)
    return x @ p["wte.weight"].T


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.contiguous().numpy().tobytes()
        dtype = {torch.float32: "F32", torch.uint8: "U8", torch.bool: "BOOL"}[tensor.dtype]
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main(out):
    gen = torch.Generator().manual_seed(20240229)
    params = make_params(gen)
    tensors = dict(params)
    for i in range(N_LAYER):
        tensors[f"h.{i}.attn.bias"] = torch.tril(torch.ones(N_POSITIONS, N_POSITIONS, dtype=torch.bool)).view(
            1, 1, N_POSITIONS, N_POSITIONS)
    write_safetensors(f"{out}/model.safetensors", tensors)
    config = {
        "activation_function": ACTIVATION, "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
        "bos_token_id": VOCAB - 1, "embd_pdrop": 0.1, "eos_token_id": VOCAB - 1, "initializer_range": 0.02,
        "layer_norm_epsilon": EPS, "model_type": "gpt2", "n_ctx": N_POSITIONS, "n_embd": N_EMBD,
        "n_head": N_HEAD, "n_inner": None, "n_layer": N_LAYER, "n_positions": N_POSITIONS,
        "resid_pdrop": 0.1, "summary_type": "cls_index", "vocab_size": VOCAB,
    }
    with open(f"{out}/config.json", "w") as f:
        json.dump(config, f, indent=2)
    ids = torch.tensor([[5, 17, 42, 3, 63, 0, 29, 8, 11, 50], [60, 1, 2, 33, 33, 7, 19, 44, 12, 9]])
    with torch.no_grad():
        logits = forward(params, ids)
    with open(f"{out}/reference-logits.json", "w") as f:
        json.dump({"input_ids": ids.tolist(), "logits": logits.tolist()}, f)


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3])
    else:
        if len(sys.argv) > 2:
            ACTIVATION = sys.argv[2]
        main(sys.argv[1])
