"""The Trainer's log lines go to stderr (beside its progress bars); stdout stays for results."""

import pytest

from train.run import run_training


@pytest.mark.parametrize("disable_tqdm", [False, True])
def test_training_logs_are_lines_on_stderr_not_dicts_on_stdout(tiny_dataset, tiny_model, tmp_path, capfd, monkeypatch, disable_tqdm):
    if disable_tqdm:  # the Trainer then uses PrinterCallback, which prints to stdout too
        import train.phase

        real = train.phase.training_arguments
        monkeypatch.setattr(train.phase, "training_arguments", lambda *a, **k: _no_bars(real(*a, **k)))
    run_training(method="mbart-cls", data=tiny_dataset, train_size=4, model=str(tiny_model), out=tmp_path / "run",
                 max_steps=1, batch_size=2, grad_accum=1, device="cpu", eval_batch_size=2, num_beams=1, logging_steps=1)
    out, err = capfd.readouterr()
    assert "'loss'" not in out and "{'" not in out
    assert "cls step 1: loss " in err
    assert "cls step 1: eval_loss " in err


def _no_bars(args):
    args.disable_tqdm = True
    return args
