"""utils.train: the training loop, evaluation, confusion matrix and checkpoints, against plain references."""

import copy
import inspect
import json
import math
import re
from pathlib import Path, PurePosixPath

import pytest
import torch
from tqdm.notebook import tqdm_notebook

from utils import train as T
from utils.data import Data, make_shapes, normalize
from utils.net import Net


@pytest.fixture(scope="module")
def small():
    images, labels = make_shapes(700, seed=5)
    return Data("small", tuple("abcdefghij"), images[:500], labels[:500], images[500:], labels[500:])


def fresh_net(seed=0):
    torch.manual_seed(seed)
    return Net()


def test_training_learns_and_records_its_history(small):
    net = fresh_net()
    history = T.train(net, small, epochs=3, batch_size=50, lr=0.004, show=False)
    assert len(history.batch_loss) == 3 * math.ceil(500 / 50)
    assert len(history.train_accuracy) == len(history.test_accuracy) == len(history.seconds) == 3
    assert history.seconds == sorted(history.seconds) and history.seconds[0] > 0
    assert sum(history.batch_loss[-5:]) < sum(history.batch_loss[:5])  # the loss falls
    assert history.test_accuracy[-1] == pytest.approx(T.accuracy(net, small.test_images, small.test_labels))


def test_training_is_reproducible_from_the_seed(small):
    nets = [fresh_net(), fresh_net()]
    histories = [T.train(net, small, epochs=1, batch_size=64, seed=3, show=False) for net in nets]
    assert histories[0].batch_loss == histories[1].batch_loss
    for a, b in zip(nets[0].parameters(), nets[1].parameters()):
        assert torch.equal(a, b)
    other = fresh_net()
    T.train(other, small, epochs=1, batch_size=64, seed=4, show=False)
    assert not torch.equal(other.fc3.weight, nets[0].fc3.weight)  # another seed, another batch order


def test_an_epoch_uses_every_image_once_in_batches():
    images = torch.arange(10, dtype=torch.uint8).view(10, 1, 1, 1).expand(10, 3, 32, 32).contiguous()
    labels = torch.arange(10)
    net = fresh_net()
    seen = []
    net.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0][:, 0, 0, 0].clone()))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.0)
    schedule = torch.optim.lr_scheduler.ConstantLR(optimizer, 1.0)
    calls = []
    losses, accuracy = T.train_epoch(net, images, labels, optimizer, schedule, 4, torch.Generator().manual_seed(0),
                                     calls.append)
    assert [len(s) for s in seen] == [4, 4, 2] and calls == [1, 2, 3] and len(losses) == 3
    index = ((torch.cat(seen) + 1) * 127.5).round().long()  # undo normalize: which image each row was
    assert sorted(index.tolist()) == list(range(10)) and index.tolist() != list(range(10))  # shuffled
    assert 0 <= accuracy <= 1


@pytest.mark.parametrize("epochs, batch_size", [(0, 64), (2, 0)])
def test_train_rejects_impossible_settings(small, epochs, batch_size):
    with pytest.raises(ValueError, match="at least 1"):
        T.train(fresh_net(), small, epochs=epochs, batch_size=batch_size, show=False)


@pytest.mark.widgets
def test_shown_training_prints_each_epoch_and_draws_the_curves(small, capsys):
    history = T.train(fresh_net(), small, epochs=2, batch_size=100, show=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 1/2", "epoch 2/2"]
    assert f"test accuracy {history.test_accuracy[-1]:.1%}" in lines[-1]


@pytest.mark.widgets
def test_monitor_redraws_its_image_and_moves_its_bar():
    monitor = T.Monitor(epochs=2, steps_per_epoch=5)
    history = T.History(batch_loss=[2.0, 1.5, 1.0, 0.8, 0.7], train_accuracy=[0.4], test_accuracy=[0.5], seconds=[1])
    monitor.batch(5)
    monitor.epoch(history)
    first = monitor.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and monitor.bar.n == 5 and monitor.bar.desc == "Training, epoch 1/2"
    monitor.batch(6)
    assert monitor.bar.n == 6 and monitor.bar.desc == "Training, epoch 2/2"
    history.batch_loss += [0.5] * 5
    history.train_accuracy.append(0.8)
    history.test_accuracy.append(0.9)
    monitor.epoch(history)
    assert monitor.image.value != first
    monitor.close()  # outside a notebook: nothing to refresh, and no error


@pytest.mark.widgets
def test_in_a_notebook_tqdms_widget_bar_and_the_curves_are_one_output(monkeypatch):
    # In a kernel tqdm.auto is tqdm.notebook: its bar (ipywidgets 7 or 8) is put above the curves, not shown alone.
    monkeypatch.setattr(T, "tqdm", tqdm_notebook)
    monitor = T.Monitor(epochs=1, steps_per_epoch=4)
    assert monitor.widget.children == (monitor.bar.container, monitor.image)
    monitor.batch(4)
    monitor.close()
    label, bar, counts = monitor.bar.container.children
    assert bar.value == bar.max == 4 and bar.bar_style == "success" and "4/4" in counts.value
    assert label.value.replace("\u2007", " ").startswith("Training, epoch 1/1: 100%")  # tqdm pads with U+2007


def test_predict_gives_the_nets_logits_in_batches(small):
    net = fresh_net()
    expected = net(normalize(small.test_images)).detach()
    torch.testing.assert_close(T.predict(net, small.test_images, batch_size=37), expected)


def test_accuracy_is_the_fraction_predicted_right(small):
    net = fresh_net()
    predicted = net(normalize(small.test_images)).argmax(1)
    expected = sum(int(p == y) for p, y in zip(predicted, small.test_labels)) / len(small.test_labels)
    assert T.accuracy(net, small.test_images, small.test_labels) == pytest.approx(expected)


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    g = torch.Generator().manual_seed(0)
    labels, predicted = torch.randint(0, 4, (200,), generator=g), torch.randint(0, 4, (200,), generator=g)
    expected = torch.zeros(4, 4, dtype=torch.int64)
    for y, p in zip(labels, predicted):
        expected[y, p] += 1
    matrix = T.confusion_matrix(predicted, labels, 4)
    assert torch.equal(matrix, expected)
    per_class = T.per_class_accuracy(matrix)
    for c in range(4):
        assert per_class[c].item() == pytest.approx(((predicted == c) & (labels == c)).sum().item()
                                                    / (labels == c).sum().item())


def test_per_class_accuracy_is_nan_for_an_absent_class():
    matrix = T.confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 0]), 3)
    per_class = T.per_class_accuracy(matrix)
    assert per_class[0] == 0.5 and per_class[1:].isnan().all()


@pytest.mark.parametrize("predicted, labels, message", [
    (torch.tensor([0, 1]), torch.tensor([0, 1, 2]), "expected two"),
    (torch.zeros(2, 2, dtype=torch.long), torch.zeros(2, 2, dtype=torch.long), "expected two"),
    (torch.tensor([0, 5]), torch.tensor([0, 1]), "class indices should be in 0..2"),
    (torch.tensor([0, -1]), torch.tensor([0, 1]), "class indices should be in 0..2"),
])
def test_confusion_matrix_rejects_bad_input(predicted, labels, message):
    with pytest.raises(ValueError, match=message):
        T.confusion_matrix(predicted, labels, 3)


def test_a_checkpoint_round_trips(tmp_path, small):
    net = fresh_net(1)
    path = tmp_path / "deep" / "lenet.pt"
    T.save_checkpoint(net, path)
    loaded = T.load_checkpoint(fresh_net(2), path)
    for name, tensor in net.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor), name


def test_loading_a_missing_checkpoint_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        T.load_checkpoint(fresh_net(), tmp_path / "nothing.pt")


def test_loading_reads_tensors_only(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"conv1.weight": torch.zeros(1), "payload": PurePosixPath("/etc")}, path)  # an object, not a tensor
    with pytest.raises(Exception, match="[Ww]eights only load failed|Unsupported"):
        T.load_checkpoint(fresh_net(), path)


def test_loading_weights_of_another_shape_fails_clearly(tmp_path):
    path = tmp_path / "other.pt"
    torch.save({"conv1.weight": torch.zeros(1)}, path)
    with pytest.raises(RuntimeError, match="state_dict"):
        T.load_checkpoint(fresh_net(), path)


def test_notebook_04_trains_with_the_defaults_the_benchmark_measures():
    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "04_lenet_end_to_end.ipynb"
    source = "\n".join("".join(c["source"]) for c in json.loads(notebook.read_text())["cells"])
    defaults = inspect.signature(T.train).parameters
    for name, parameter in (("EPOCHS", "epochs"), ("BATCH_SIZE", "batch_size")):
        assert int(re.search(rf"^{name} = (\d+)", source, re.M).group(1)) == defaults[parameter].default, name


@pytest.mark.parametrize("epochs, batch_size", [(1, 100), (2, 250), (1, 500), (4, 500), (1, 125), (3, 100)])
def test_very_few_steps_still_train(small, epochs, batch_size):
    # 1 epoch of 500 images at batch 125 is 4 steps: OneCycleLR used to divide by zero there.
    net = fresh_net()
    before = net.fc3.weight.clone()
    history = T.train(net, small, epochs=epochs, batch_size=batch_size, show=False)
    assert len(history.batch_loss) == epochs * math.ceil(500 / batch_size)
    assert not torch.equal(net.fc3.weight, before)


def test_a_diverging_loss_stops_training_and_says_lower_the_learning_rate(small):
    with pytest.raises(FloatingPointError, match=r"diverged .* at step \d+ of epoch 1: lower the learning rate"):
        T.train(fresh_net(), small, epochs=2, batch_size=50, lr=1e9, show=False)


@pytest.mark.parametrize("setting, value, message", [
    ("epochs", 2.5, r"epochs \(the notebook's EPOCHS\) should be a whole number of at least 1, got 2.5"),
    ("batch_size", "128", r"batch_size \(the notebook's BATCH_SIZE\) .* got '128'"),
    ("epochs", True, "got True"),
    ("lr", -0.01, "lr should be a positive number"),
    ("lr", float("nan"), "lr should be a positive number"),
    ("device", "gpu", "device should be 'cpu', 'cuda' or 'mps', got 'gpu'"),
    ("device", 3.5, "device should be"),
    ("device", "meta", "device should be 'cpu', 'cuda' or 'mps', got 'meta'"),
    ("optimizer", "rmsprop", "optimizer should be 'adam' or 'sgd'"),
])
def test_bad_settings_are_refused_before_training_naming_them(small, setting, value, message):
    net = fresh_net()
    before = copy.deepcopy(net.state_dict())
    with pytest.raises(ValueError, match=message):
        T.train(net, small, show=False, **{setting: value})
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())  # nothing trained


def test_a_missing_gpu_is_named_with_what_to_use_instead(small, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="device 'cuda' is not available on this computer: use 'cpu'"):
        T.train(fresh_net(), small, device="cuda", show=False)


def test_the_tutorials_recipe_is_sgd_with_momentum_at_a_constant_rate(small, monkeypatch):
    rates = []
    step = torch.optim.SGD.step
    monkeypatch.setattr(torch.optim.SGD, "step", lambda self, *a: (rates.append(self.param_groups[0]["lr"]),
                                                                   step(self, *a))[1])
    T.train(fresh_net(), small, epochs=1, batch_size=100, lr=0.001, optimizer="sgd", show=False)
    assert rates == [0.001] * 5


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated"])
def test_loading_an_empty_or_truncated_checkpoint_names_the_file(tmp_path, content):
    path = tmp_path / "lenet.pt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"{re.escape(str(path))} is not a readable checkpoint.*save_checkpoint"):
        T.load_checkpoint(fresh_net(), path)


def test_loading_a_half_written_checkpoint_names_the_file(tmp_path):
    path = tmp_path / "lenet.pt"
    T.save_checkpoint(fresh_net(), path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(ValueError, match="is not a readable checkpoint"):
        T.load_checkpoint(fresh_net(), path)


def test_saving_where_no_folder_can_be_made_names_the_path(tmp_path):
    (tmp_path / "a file").write_text("not a folder")
    path = tmp_path / "a file" / "lenet.pt"
    with pytest.raises(OSError, match=f"could not save the checkpoint to {re.escape(str(path))}.*folder you can"):
        T.save_checkpoint(fresh_net(), path)


def test_saving_to_a_folder_without_write_permission_names_the_path(tmp_path, monkeypatch):
    # As root chmod does not stop writes: simulate torch's own error for a read-only folder.
    def refuse(*args, **kwargs):
        raise RuntimeError("File data/lenet.pt cannot be opened.\n"
                           "enforce fail at inline_container.cc: Permission denied")

    monkeypatch.setattr(torch, "save", refuse)
    path = tmp_path / "lenet.pt"
    with pytest.raises(OSError, match=f"could not save the checkpoint to {re.escape(str(path))}: RuntimeError: File"):
        T.save_checkpoint(fresh_net(), path)
