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


def test_model_card_shows_real_news_beside_the_own_test_set_by_id_only() -> None:
    from models.train import REAL_NEWS_ROWS, render_real_news

    figures = {k: 0.5 for k in REAL_NEWS_ROWS} | {"n": 10}
    card = {"own_test": figures, "real_news": figures, "real_news_sure": figures | {"n": 6},
            "real_news_errors": [{"id": "rn-0007", "gold": "negative", "predicted": "positive", "score": 0.9}]}
    text = render_real_news(card)
    assert "| stance_macro_f1 | 0.5 | 0.5 | 0.5 |" in text
    assert "rn-0007 (negative read as positive, 0.90)" in text
    assert "Not measured" in render_real_news({"own_test": figures})
