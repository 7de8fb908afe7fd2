"""Packaging for tinystories_gpt: reads everything from settings.ini (nbdev 2), no pkg_resources."""
import shlex
from configparser import ConfigParser

import setuptools
from packaging.requirements import Requirement  # setuptools depends on packaging, so it is always there

config = ConfigParser(delimiters=["="])
config.read("settings.ini", encoding="utf-8")
cfg = config["DEFAULT"]

for key in "version description keywords author author_email".split():
    assert key in cfg, f"settings.ini is missing `{key}`"

licenses = {"apache2": "Apache-2.0"}  # settings.ini's nbdev name -> an SPDX license expression
statuses = ["1 - Planning", "2 - Pre-Alpha", "3 - Alpha", "4 - Beta", "5 - Production/Stable", "6 - Mature", "7 - Inactive"]
py_versions = "3.10 3.11 3.12 3.13".split()

def reqs(key):
    "Requirements listed under `key`, validated so a typo fails here rather than at install time."
    items = shlex.split(cfg.get(key, "").strip())
    for r in items: Requirement(r)
    return items

lic = licenses.get(cfg["license"].lower(), cfg["license"])
min_python = cfg["min_python"]
long_description = open("README.md", encoding="utf-8").read()

setuptools.setup(
    name=cfg["lib_name"].replace("_", "-"),
    license_expression=lic,  # PEP 639 (setuptools>=77, see pyproject.toml): no License :: classifier
    license_files=["LICENSE"],
    classifiers=[
        "Development Status :: " + statuses[int(cfg["status"]) - 1],  # status = 3 is "3 - Alpha"
        "Intended Audience :: " + cfg["audience"].title(),
        "Natural Language :: " + cfg["language"].title(),
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ] + ["Programming Language :: Python :: " + v for v in py_versions[py_versions.index(min_python):]],
    url=cfg["git_url"],
    # assets/ holds data files only (no __init__.py): it is listed so that setuptools ships it as package data
    packages=setuptools.find_packages(include=[cfg["lib_name"], cfg["lib_name"] + ".*"]) + [cfg["lib_name"] + ".assets"],
    package_data={cfg["lib_name"]: ["assets/*.txt", "assets/*.md"]},
    include_package_data=True,
    install_requires=reqs("requirements"),
    extras_require={"dev": reqs("dev_requirements")},
    dependency_links=cfg.get("dep_links", "").split(),
    python_requires=">=" + min_python,
    long_description=long_description,
    long_description_content_type="text/markdown",
    zip_safe=False,
    entry_points={
        "console_scripts": cfg.get("console_scripts", "").split(),
        "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
    },
    version=cfg["version"],
    description=cfg["description"],
    keywords=cfg["keywords"],
    author=cfg["author"],
    author_email=cfg["author_email"],
)
