"""Writes a tiny GPT-2 exported to ONNX by PyTorch itself, for the onnxruntime plugin's tests.

The model is a plain PyTorch module with Hugging Face GPT-2 parameter names (Conv1D weights [in, out],
gelu_new, pre-LayerNorm blocks, tied LM head) and the decoder-with-past signature of Hugging Face Optimum:
inputs input_ids, attention_mask, position_ids, past_key_values.{i}.key/.value; outputs logits and
present.{i}.key/.value. It is exported with torch.onnx.export (opset 17, dynamic batch and sequence axes).

Written to OUT_DIR (the test resources folder python-fixture/):
  model.onnx          the export
  model-without-position-ids.onnx   the same model with the older Optimum signature (no position_ids input)
  config.json, model.safetensors, tokenizer.json   the same model as a Hugging Face checkpoint folder
  expected.json       inputs and the logits PyTorch computes for them (left padding, then one cached step),
                      and the greedy continuation of a prompt

Run with Debian's python3, python3-torch and python3-onnx:
  /usr/bin/python3 make_onnx_fixture.py plugins-onnxruntime/src/test/resources/python-fixture
"""
import json
import math
import struct
import sys

import onnx
import torch

N_LAYER, N_EMBD, N_HEAD, N_POSITIONS = 2, 16, 4, 64
EOS = 256
VOCAB = 257
EPS = 1e-5
HEAD = N_EMBD // N_HEAD


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def make_params(gen):
    def normal(*shape, std=0.1):
        return torch.randn(*shape, generator=gen) * std

    d = N_EMBD
    p = {"wte.weight": normal(VOCAB, d, std=0.5), "wpe.weight": normal(N_POSITIONS, d, std=0.3)}
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


class Decoder(torch.nn.Module):
    """GPT-2 with a KV cache; masking as Hugging Face does it (a masked score becomes the float minimum)."""

    def __init__(self, params):
        super().__init__()
        self.p = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v) for k, v in params.items()})

    def w(self, name):
        return self.p[name.replace(".", "__")]

    def forward(self, input_ids, attention_mask, position_ids, *past):
        b, t = input_ids.shape
        total = attention_mask.shape[1]
        x = self.w("wte.weight")[input_ids] + self.w("wpe.weight")[position_ids]
        q_pos = torch.arange(total - t, total).view(t, 1)
        k_pos = torch.arange(0, total).view(1, total)
        allowed = (k_pos <= q_pos).view(1, 1, t, total) & attention_mask.bool().view(b, 1, 1, total)
        presents = []
        for i in range(N_LAYER):
            h = f"h.{i}."
            a = torch.nn.functional.layer_norm(x, (N_EMBD,), self.w(h + "ln_1.weight"), self.w(h + "ln_1.bias"), EPS)
            qkv = a @ self.w(h + "attn.c_attn.weight") + self.w(h + "attn.c_attn.bias")
            q, k, v = qkv.split(N_EMBD, dim=2)
            q, k, v = (z.reshape(b, t, N_HEAD, HEAD).transpose(1, 2) for z in (q, k, v))
            k = torch.cat([past[2 * i], k], dim=2)
            v = torch.cat([past[2 * i + 1], v], dim=2)
            presents += [k, v]
            att = (q @ k.transpose(-1, -2)) / math.sqrt(HEAD)
            att = torch.where(allowed, att, torch.tensor(torch.finfo(att.dtype).min))
            y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, N_EMBD)
            x = x + (y @ self.w(h + "attn.c_proj.weight") + self.w(h + "attn.c_proj.bias"))
            c = torch.nn.functional.layer_norm(x, (N_EMBD,), self.w(h + "ln_2.weight"), self.w(h + "ln_2.bias"), EPS)
            f = gelu_new(c @ self.w(h + "mlp.c_fc.weight") + self.w(h + "mlp.c_fc.bias"))
            x = x + (f @ self.w(h + "mlp.c_proj.weight") + self.w(h + "mlp.c_proj.bias"))
        x = torch.nn.functional.layer_norm(x, (N_EMBD,), self.w("ln_f.weight"), self.w("ln_f.bias"), EPS)
        return (x @ self.w("wte.weight").T, *presents)


class DecoderWithoutPositionIds(torch.nn.Module):
    """The same model with the older Optimum signature: no position_ids input, positions past + 0, 1, ..."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, attention_mask, *past):
        b, t = input_ids.shape
        start = attention_mask.shape[1] - t
        positions = torch.arange(start, start + t).view(1, t).expand(b, t)
        return self.decoder(input_ids, attention_mask, positions, *past)


def empty_past(b, length=0):
    return [torch.zeros(b, N_HEAD, length, HEAD) for _ in range(2 * N_LAYER)]


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def byte_alphabet():
    table, extra = [], 256
    for b in range(256):
        if 33 <= b <= 126 or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF:
            table.append(chr(b))
        else:
            table.append(chr(extra))
            extra += 1
    return table


def tokenizer_json():
    """A byte-level BPE without merges: ids 0..255 are the bytes, 256 is <|endoftext|>."""
    vocab = {c: i for i, c in enumerate(byte_alphabet())}
    vocab["<|endoftext|>"] = EOS
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": EOS, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True}],
        "normalizer": None, "pre_tokenizer": byte_level, "post_processor": byte_level, "decoder": byte_level,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "vocab": vocab,
                  "merges": []},
    }


def rounded(t):
    return [[[round(v, 6) for v in row] for row in seq] for seq in t.tolist()]


def main(out):
    torch.manual_seed(0)
    params = make_params(torch.Generator().manual_seed(20260406))
    model = Decoder(params).eval()
    names = ["input_ids", "attention_mask", "position_ids"]
    past_names, present_names = [], []
    for i in range(N_LAYER):
        past_names += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        present_names += [f"present.{i}.key", f"present.{i}.value"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for n in past_names:
        axes[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in present_names:
        axes[n] = {0: "batch_size", 2: "total_sequence_length"}
    example = (torch.tensor([[1, 2], [3, 4]]), torch.ones(2, 5, dtype=torch.int64), torch.tensor([[3, 4], [3, 4]]),
               *empty_past(2, 3))
    torch.onnx.export(model, example, f"{out}/model.onnx", input_names=names + past_names,
                      output_names=["logits"] + present_names, dynamic_axes=axes, opset_version=17,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(f"{out}/model.onnx"))
    no_pos_axes = {k: v for k, v in axes.items() if k != "position_ids"}
    torch.onnx.export(DecoderWithoutPositionIds(model), (example[0], example[1], *example[3:]),
                      f"{out}/model-without-position-ids.onnx", input_names=["input_ids", "attention_mask"] + past_names,
                      output_names=["logits"] + present_names, dynamic_axes=no_pos_axes, opset_version=17,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(f"{out}/model-without-position-ids.onnx"))

    write_safetensors(f"{out}/model.safetensors", {"transformer." + k: v for k, v in params.items()})
    config = {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "bos_token_id": EOS,
              "eos_token_id": EOS, "layer_norm_epsilon": EPS, "model_type": "gpt2", "n_embd": N_EMBD,
              "n_head": N_HEAD, "n_inner": None, "n_layer": N_LAYER, "n_positions": N_POSITIONS,
              "vocab_size": VOCAB}
    with open(f"{out}/config.json", "w") as f:
        json.dump(config, f, indent=2)
    with open(f"{out}/tokenizer.json", "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(), f, ensure_ascii=False)

    # Left padding: row 1 has two padding tokens (id EOS, position 0, mask 0).
    ids = torch.tensor([[72, 101, 108, 108, 111, 33], [EOS, EOS, 72, 105, 63, 32]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    pos = torch.tensor([[0, 1, 2, 3, 4, 5], [0, 0, 0, 1, 2, 3]])
    step_ids = torch.tensor([[10], [65]])
    step_mask = torch.tensor([[1] * 7, [0, 0, 1, 1, 1, 1, 1]])
    step_pos = torch.tensor([[6], [4]])
    prompt = list("Hello".encode("utf-8"))
    with torch.no_grad():
        prefill = model(ids, mask, pos, *empty_past(2))
        step = model(step_ids, step_mask, step_pos, *prefill[1:])
        greedy, seq = [], list(prompt)
        out_ = model(torch.tensor([seq]), torch.ones(1, len(seq), dtype=torch.int64),
                     torch.arange(len(seq)).view(1, -1), *empty_past(1))
        for _ in range(8):
            token = int(out_[0][0, -1].argmax())
            greedy.append(token)
            if token == EOS:
                break
            seq.append(token)
            out_ = model(torch.tensor([[token]]), torch.ones(1, len(seq), dtype=torch.int64),
                         torch.tensor([[len(seq) - 1]]), *out_[1:])
    expected = {
        "prefill": {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": pos.tolist(),
                    "logits": rounded(prefill[0])},
        "step": {"input_ids": step_ids.tolist(), "attention_mask": step_mask.tolist(),
                 "position_ids": step_pos.tolist(), "logits": rounded(step[0])},
        "greedy": {"prompt": "Hello", "tokens": greedy},
    }
    with open(f"{out}/expected.json", "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main(sys.argv[1])
