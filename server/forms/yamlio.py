"""Read YAML keeping the line of every mapping, key and list item."""

import yaml


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line = None
    key_lines: dict


class LineList(list):
    """A list that remembers its own line and the line of each item."""

    line = None
    item_lines: list


class LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and sequences carry 1-based line numbers."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader, node):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_string_date(loader, node):
    return loader.construct_scalar(node)


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_string_date)


def read_yaml(text):
    """Parse YAML text into LineDict/LineList data (dates stay strings)."""
    return yaml.load(text, Loader=LineLoader)


def line_of(data, path):
    """Return the line of the deepest element of a key/index path that has one."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
        line = getattr(node, "line", None) if isinstance(node, dict | list) else line
    return line
