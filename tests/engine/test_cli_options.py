"""The engine options for ``rashomon analyse`` (rashomon/engine/cli_options.py), on a small app."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from rashomon.engine.cli_options import EngineOption, RayAddressOption, WorkersOption, engine_for

app = typer.Typer()


@app.command()
def analyse(engine: EngineOption = "local", workers: WorkersOption = None, ray_address: RayAddressOption = None) -> None:
    with engine_for(engine, workers, ray_address) as runner:
        typer.echo("in-process" if runner is None else runner.name)


def test_default_is_this_process():
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0 and result.output.strip() == "in-process"


def test_process_engine_starts_and_stops():
    result = CliRunner().invoke(app, ["--engine", "process", "--workers", "1"])
    assert result.exit_code == 0 and result.output.strip() == "process"


def test_bad_combinations_are_usage_errors():
    runner = CliRunner()
    assert runner.invoke(app, ["--engine", "spark"]).exit_code == 2
    assert runner.invoke(app, ["--engine", "process", "--ray-address", "auto"]).exit_code == 2
    assert runner.invoke(app, ["--workers", "2"]).exit_code == 2  # local is one process
    assert runner.invoke(app, ["--workers", "0", "--engine", "process"]).exit_code == 2
