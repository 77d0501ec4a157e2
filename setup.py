"""The build steps pyproject.toml cannot declare: where the data lives, and the catalogues.

Coaches and translators edit `personas/` and `locales/` at the top of the repository; the
wheel carries them inside the package as `bot/personas` and `bot/locales` (see
`bot.data_dir`), so an installed bot finds them wherever it runs. The `.mo` catalogues are
compiled here from the `.po` sources, so a running bot never writes into its own folder.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

DATA = {"bot.personas": "personas", "bot.locales": "locales"}


class BuildWithCatalogues(build_py):
    """Compile each `locales/<lang>/LC_MESSAGES/*.po` into the wheel's `.mo`."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # a checkout: `make` compiles them in place
            return
        for po_path in Path("locales").glob("*/LC_MESSAGES/*.po"):
            mo_path = Path(self.build_lib, "bot", po_path.with_suffix(".mo"))
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as po_file, mo_path.open("wb") as mo_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
                write_mo(mo_file, catalog, use_fuzzy=False)


setup(
    packages=[
        *find_namespace_packages(include=["bot", "bot.*"], exclude=["*.__pycache__"]),
        *DATA,
    ],
    package_dir=DATA,
    include_package_data=False,
    package_data={
        "bot.engine": ["lexicons/*.yaml", "lexicons/*/*.yaml", "*.yaml"],
        "bot.personas": ["*.yaml", "persona.schema.json"],
    },
    cmdclass={"build_py": BuildWithCatalogues},
)
