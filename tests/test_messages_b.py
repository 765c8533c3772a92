"""The message catalog in Chinese for fc, lenet, data, train and net (tests/test_messages.py scans every module).

Each test runs with set_language("zh") and checks what a learner would read: refusals, progress and dataset
messages, checker verdicts and hints, widget labels and class names.
"""

import pytest
import torch

from utils import data, i18n, net, train


@pytest.fixture
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_class_names_come_out_in_chinese_and_stay_english_in_the_data(chinese):
    cifar = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    assert [net.class_name(name) for name in cifar] == ["飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车"]
    assert net.class_name("plane") == "飞机" and net.class_name("car") == "汽车"
    shapes = [net.class_name(name) for name in data.OFFLINE_CLASSES]
    assert len(set(shapes)) == len(shapes) and all(name not in data.OFFLINE_CLASSES for name in shapes)
    assert net.class_name("a class of your own") == "a class of your own"  # an unknown name is shown as it is
    assert data.offline_data(sizes=(10, 10)).classes == data.OFFLINE_CLASSES  # the data keeps its English names
    i18n.set_language("en")
    assert net.class_name("automobile") == "automobile"


def test_net_refuses_a_wrong_shape_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"^Net 需要一批形状为 \(N, 3, 32, 32\) 的图像，实际是 \(3, 32, 32\)$"):
        net.Net()(torch.zeros(3, 32, 32))


def test_the_dataset_message_is_chinese_with_chinese_class_names(chinese, capsys, tmp_path):
    loaded = data.load_data("offline", root=tmp_path)
    out = capsys.readouterr().out
    assert out.startswith("你选择了离线默认数据集（DATASET = 'offline'）。\n数据集：Data('离线图形'：12,000 张训练图像")
    assert "无需下载：圆盘、圆环、正方形、" in out and "要使用 CIFAR-10，请连上互联网" in out
    assert loaded.name == data.OFFLINE_NAME  # the notebook's STRICT test still sees the English identity
    with pytest.raises(ValueError, match="^dataset 应为 .* 之一，实际是 'mnist'$"):
        data.load_data("mnist")
    with pytest.raises(data.CifarUnavailable, match="不允许下载"):
        data.cifar10_data(tmp_path, download=False)


def test_progress_prints_in_chinese(chinese, capsys):
    progress = data.Progress(4, "训练", unit="个小批量")
    progress.update(4)
    assert capsys.readouterr().out == "训练：100%（4/4 个小批量）\n"
    with pytest.raises(ValueError, match="total 应为正整数，实际是 0"):
        data.Progress(0, "训练")


def test_training_speaks_chinese(chinese, capsys):
    small = data.offline_data(sizes=(500, 32))
    torch.manual_seed(0)
    model = net.Net()
    train.train(model, small, epochs=1, batch_size=250)
    assert capsys.readouterr().out.startswith("第 1/1 轮：损失 ")
    with pytest.raises(ValueError, match=r"^epochs（笔记本中的 EPOCHS）应为不小于 1 的整数，实际是 0$"):
        train.train(model, small, epochs=0)
    with pytest.raises(FloatingPointError, match=r"^损失在第 \d+ 步发散了（变成了 (nan|inf)），这是第 1 轮：请调低学习率"):
        train.train(model, small, epochs=2, batch_size=50, lr=1e9, show=False)
    monitor = train.Monitor(1, 2)
    assert monitor.progress.widget.children[0].value == "<b>训练</b>&nbsp;"
    monitor.epoch(train.History([2.3, 2.2], [0.1], [0.2], [1.0]))
    assert monitor.loss_axes.get_title() == "每个小批量的训练损失" and monitor.accuracy_axes.get_ylabel() == "准确率"
    assert monitor._bundle()["text/plain"].startswith("训练进度和曲线")


def test_a_missing_checkpoint_is_explained_in_chinese(chinese, tmp_path):
    with pytest.raises(FileNotFoundError, match="处没有检查点：请先训练，再调用 save_checkpoint"):
        train.load_checkpoint(net.Net(), tmp_path / "none.pt")
