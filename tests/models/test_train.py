import torch
from transformers import BertConfig, BertForSequenceClassification

from models.train import keep_layers


def test_keep_layers_keeps_the_bottom_and_the_top_of_the_encoder() -> None:
    model = BertForSequenceClassification(BertConfig(
        vocab_size=100, hidden_size=16, num_hidden_layers=6, num_attention_heads=2, intermediate_size=32, num_labels=3))
    bottom, top = model.bert.encoder.layer[0], model.bert.encoder.layer[5]
    keep_layers(model, frozen_layers=1, trainable_layers=1)
    assert list(model.bert.encoder.layer) == [bottom, top]
    assert model.config.num_hidden_layers == 2
    logits = model(input_ids=torch.tensor([[1, 2, 3]])).logits  # still a working model
    assert logits.shape == (1, 3)
