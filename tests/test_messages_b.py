"""The message catalog in Chinese for fc, lenet, data, train and net (tests/test_messages.py scans every module).

Each test runs with set_language("zh") and checks what a learner would read: refusals, progress and dataset
messages, checker verdicts and hints, widget labels and class names.
"""

import hashlib
import io
import warnings

import pytest
import torch

from utils import data, fc, i18n, lenet, net, train
from utils.view import SettingError


def test_class_names_come_out_in_chinese_and_stay_english_in_the_data(chinese):
    cifar = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    names = ["飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车"]
    assert [net.class_name(name) for name in cifar] == names
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
    assert out.startswith("你选择了离线数据集（DATASET = 'offline'）。\n数据集：离线数据集（12,000 张训练图像，")
    assert "无需下载：圆盘、圆环、正方形、" in out and "要使用 CIFAR-10，请连上互联网" in out
    assert loaded.name == data.OFFLINE_NAME  # the notebook's STRICT test still sees the English identity
    with pytest.raises(ValueError, match="^dataset 应为 .* 之一，实际是 'mnist'$"):
        data.load_data("mnist")
    with pytest.raises(data.CifarUnavailable, match="不允许下载"):
        data.cifar10_data(tmp_path, download=False)


def test_the_download_bar_speaks_chinese(chinese, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(data, "urlopen", lambda *args, **kwargs: type("Response", (io.BytesIO,), {"headers": {}})(b"x"))
    data._download("https://example.org/x", tmp_path / "x", hashlib.md5(b"x").hexdigest())
    assert capsys.readouterr().err.split("\r")[-1].startswith("正在下载 CIFAR-10: 1.00B")


@pytest.mark.widgets
def test_training_speaks_chinese(chinese, capsys):
    small = data.offline_data(sizes=(500, 32))
    torch.manual_seed(0)
    model = net.Net()
    train.train(model, small, epochs=1, batch_size=250)
    assert capsys.readouterr().out.startswith("第 1/1 轮：损失 ")
    with pytest.raises(ValueError, match=r"^epochs（notebook 中的 EPOCHS）应为不小于 1 的整数，实际是 0$"):
        train.train(model, small, epochs=0)
    with pytest.raises(FloatingPointError, match=r"^损失在第 \d+ 步发散了（变成了 (nan|inf)），这是第 1 轮：请调低"):
        train.train(model, small, epochs=2, batch_size=50, lr=1e9, show=False)
    monitor = train.Monitor(1, 2)
    assert monitor.bar.desc == "训练第 1/1 轮" and monitor.bar.unit == "个小批量"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for a glyph it cannot draw
        monitor.epoch(train.History([2.3, 2.2], [0.1], [0.2], [1.0]))
    assert monitor.loss_axes.get_title() == "每个小批量的训练损失" and monitor.accuracy_axes.get_ylabel() == "准确率"
    assert monitor._bundle()["text/plain"].startswith("训练进度和曲线")


def test_a_missing_checkpoint_is_explained_in_chinese(chinese, tmp_path):
    with pytest.raises(FileNotFoundError, match="处没有检查点：请先训练，再调用 save_checkpoint"):
        train.load_checkpoint(net.Net(), tmp_path / "none.pt")


def test_fc_checkers_give_chinese_verdicts_and_hints(chinese, capsys):
    assert not fc.check_fc1_sizes([32, 33, 34, 35, 36])
    assert fc.check_fc1_sizes([32, 33, 34, 35])
    assert not fc.check_uniform_loss(0.1)
    assert not fc.check_no_softmax("B") and fc.check_no_softmax("A")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "❌ 还不对。36 不行：36 → 32 → 16 → 12 → 6，特征图是 16×6×6 = 576 个数，而 fc1 只接受 400 个。"
    assert out[1].startswith("✅ 正确！32, 33, 34, 35：池化每次都向下取整")
    assert out[2].startswith("❌ 还不对。") and "0.1 是正确类别的概率" in out[2] and "ln 10 ≈ 2.303" in out[2]
    assert out[3] == "❌ 还不对。B：不对：softmax 的计算量很小（每个类别一次 exp）；原因不在速度。"
    assert out[4].startswith("✅ 正确！对：nn.CrossEntropyLoss 自己会做 log_softmax")


def test_fc_refuses_in_chinese(chinese):
    with pytest.raises(SettingError, match=r"^conv2 的 9×9 卷积核放不进它得到的 8×8 特征图：只会剩下 8 - 9 \+ 1 = 0"):
        fc.stage_shapes(24, 9, 2)
    with pytest.raises(TypeError, match="^logits 应为浮点张量，实际是 "):
        fc.need_logits(torch.tensor([1, 2]))
    with pytest.raises(ValueError, match=r"^target 中有类别 3，但一共只有 3 个类别：0 到 2$"):
        fc.need_labels(torch.zeros(1, 3), torch.tensor([3]))


@pytest.mark.widgets
def test_fc_widgets_show_chinese_labels_and_class_names(chinese):
    calculator = fc.FlattenCalculator()
    assert [c.description for c in calculator.controls.values()] == ["输入大小", "卷积核大小", "池化窗口"]
    assert [p.title for p in calculator.panels] == ["从输入到展平的各层形状，按同一比例画出"]
    assert "<th>阶段</th>" in calculator.text and "共 48,120 个参数" in calculator.text
    assert calculator.update(size=8) != "" and "放不进" in calculator.message
    temperature = fc.TemperatureExplorer()
    assert temperature.controls["temperature"].description == "温度 T"
    assert "<td>飞机</td>" in temperature.text and "<td>卡车</td>" in temperature.text
    assert "概率之和为 1.000000" in temperature.text
    assert temperature.panels[0].title.startswith("softmax(logits / T)：柱高 = 概率")
    neurons = fc.NeuronExplorer()
    assert ("照片（镜像）", "photo, mirrored") in neurons.controls["image"].options
    assert neurons.update(image="photo, mirrored") == "" and neurons.settings()["image"] == "photo, mirrored"
    assert neurons.update(image="噪声（种子 1）") == "" and neurons.settings()["image"] == "noise (seed 1)"
    assert neurons.text.startswith("<p>神经元 0：w · x = ") and neurons.panels[2].title == "这个神经元的权重"


@pytest.mark.widgets
def test_lenet_checkers_and_widget_speak_chinese(chinese, capsys):
    assert not lenet.check_zero_grad("B")
    assert not lenet.check_conv2_prediction(4 * lenet.conv2_multiply_adds(32))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("❌ 还不对。B：backward 是往 .grad 上加，而不是替换。对 2w 做一次 backward，w.grad 是 2.0；"
                      "再做一次，就变成 4.0。所以才需要 zero_grad。")
    assert "5×5 卷积核都会损失 4 行和 4 列" in out[1] and "64×64 -> conv1 60×60 -> 池化 30×30" in out[1]
    explorer = lenet.example_explorer()
    descriptions = [c.description for c in explorer.controls.values()]
    assert descriptions == ["图像", "层", "通道", "权重"]
    assert explorer.controls["network"].options == (("训练后", "after training"), ("训练前", "before training"))
    names = {label.split(": ")[1] for label, _ in explorer.controls["image"].options}
    assert names and names <= {net.class_name(name) for name in data.OFFLINE_CLASSES}
    assert explorer.update(network="训练前", channel=2) == "" and explorer.settings()["network"] == "before training"
    assert explorer.text.startswith("<b>conv1</b>，第 2 个通道（共 6 个）")
    assert "训练前的网络：预测为 <b>" in explorer.text
    assert [p.title for p in explorer.panels] == ["输入", "conv1，通道 2", "全部 6 个通道"]
