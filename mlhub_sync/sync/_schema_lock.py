# Generated from schemas/lock.schema.json by `python -m mlhub_sync.sync.schema`; do not edit.
# fastjsonschema's code generator wrote the validator; the exceptions below replace its import,
# so validating needs no third-party package at run time.
# ruff: noqa
# mypy: ignore-errors


class JsonSchemaValueException(ValueError):
    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)


JsonSchemaValuesException = JsonSchemaValueException

VERSION = "2.22.3"
Decimal = float
import re


REGEX_PATTERNS = {
    '^xxh3_128:[0-9a-f]{32}$': re.compile('^xxh3_128:[0-9a-f]{32}\\Z'),
    '^https?://': re.compile('^https?://'),
    '^[0-9a-f]{32}$': re.compile('^[0-9a-f]{32}\\Z'),
    '^(az|s3|stac\\+https?)://': re.compile('^(az|s3|stac\\+https?)://'),
    '\\.\\.': re.compile('\\.\\.'),
    '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$': re.compile('^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\\Z')
}

NoneType = type(None)

def validate_https___mlhub_sync_example_org_schemas_lock_schema_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'https://mlhub-sync.example.org/schemas/lock.schema.json', 'title': 'mlhub.lock — what `mlhub-sync lock` resolved; generated, committed, not edited', 'type': 'object', 'required': ['version', 'manifest_hash', 'datasets'], 'additionalProperties': False, 'properties': {'version': {'enum': [1, 2]}, 'manifest_hash': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'api_url': {'type': 'string', 'pattern': '^https?://'}, 'datasets': {'type': 'array', 'items': {'oneOf': [{'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, {'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}]}}}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}}, 'allOf': [{'if': {'properties': {'version': {'const': 1}}}, 'then': {'required': ['api_url']}}]}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "version" in data_keys:
                data_keys.remove("version")
                data__version = data["version"]
                if not (isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 1):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be same as const definition: 1", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'const': 1}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['api_url']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['api_url']}, rule='required')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['version', 'manifest_hash', 'datasets']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'https://mlhub-sync.example.org/schemas/lock.schema.json', 'title': 'mlhub.lock — what `mlhub-sync lock` resolved; generated, committed, not edited', 'type': 'object', 'required': ['version', 'manifest_hash', 'datasets'], 'additionalProperties': False, 'properties': {'version': {'enum': [1, 2]}, 'manifest_hash': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'api_url': {'type': 'string', 'pattern': '^https?://'}, 'datasets': {'type': 'array', 'items': {'oneOf': [{'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, {'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}]}}}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}}, 'allOf': [{'if': {'properties': {'version': {'const': 1}}}, 'then': {'required': ['api_url']}}]}, rule='required')
        data_keys = set(data.keys())
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not (isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 1 or isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 2):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be one of [1, 2]", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'enum': [1, 2]}, rule='enum')
        if "manifest_hash" in data_keys:
            data_keys.remove("manifest_hash")
            data__manifesthash = data["manifest_hash"]
            if not isinstance(data__manifesthash, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".manifest_hash must be string", value=data__manifesthash, name="" + (name_prefix or "data") + ".manifest_hash", definition={'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, rule='type')
            if isinstance(data__manifesthash, str):
                if not REGEX_PATTERNS['^xxh3_128:[0-9a-f]{32}$'].search(data__manifesthash):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".manifest_hash must match pattern ^xxh3_128:[0-9a-f]{32}$", value=data__manifesthash, name="" + (name_prefix or "data") + ".manifest_hash", definition={'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, rule='pattern')
        if "api_url" in data_keys:
            data_keys.remove("api_url")
            data__apiurl = data["api_url"]
            if not isinstance(data__apiurl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".api_url must be string", value=data__apiurl, name="" + (name_prefix or "data") + ".api_url", definition={'type': 'string', 'pattern': '^https?://'}, rule='type')
            if isinstance(data__apiurl, str):
                if not REGEX_PATTERNS['^https?://'].search(data__apiurl):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".api_url must match pattern ^https?://", value=data__apiurl, name="" + (name_prefix or "data") + ".api_url", definition={'type': 'string', 'pattern': '^https?://'}, rule='pattern')
        if "datasets" in data_keys:
            data_keys.remove("datasets")
            data__datasets = data["datasets"]
            if not isinstance(data__datasets, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets must be array", value=data__datasets, name="" + (name_prefix or "data") + ".datasets", definition={'type': 'array', 'items': {'oneOf': [{'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, {'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}]}}, rule='type')
            data__datasets_is_list = isinstance(data__datasets, (list, tuple))
            if data__datasets_is_list:
                data__datasets_len = len(data__datasets)
                for data__datasets_x, data__datasets_item in enumerate(data__datasets):
                    data__datasets_item_one_of_count1 = 0
                    if data__datasets_item_one_of_count1 < 2:
                        try:
                            if not isinstance(data__datasets_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must be object", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, rule='type')
                            data__datasets_item_is_dict = isinstance(data__datasets_item, dict)
                            if data__datasets_item_is_dict:
                                data__datasets_item__missing_keys = set(['id', 'if_exists', 'extract', 'collections']) - data__datasets_item.keys()
                                if data__datasets_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__missing_keys)) + " properties"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, rule='required')
                                data__datasets_item_keys = set(data__datasets_item.keys())
                                if "id" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("id")
                                    data__datasets_item__id = data__datasets_item["id"]
                                    validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_id(data__datasets_item__id, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].id".format(**locals()))
                                if "title" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("title")
                                    data__datasets_item__title = data__datasets_item["title"]
                                    if not isinstance(data__datasets_item__title, (str, NoneType)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].title".format(**locals()) + " must be string or null", value=data__datasets_item__title, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].title".format(**locals()) + "", definition={'type': ['string', 'null']}, rule='type')
                                if "select" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("select")
                                    data__datasets_item__select = data__datasets_item["select"]
                                    if not isinstance(data__datasets_item__select, (dict)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select".format(**locals()) + " must be object", value=data__datasets_item__select, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select".format(**locals()) + "", definition={'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, rule='type')
                                    data__datasets_item__select_is_dict = isinstance(data__datasets_item__select, dict)
                                    if data__datasets_item__select_is_dict:
                                        data__datasets_item__select_keys = set(data__datasets_item__select.keys())
                                        if "types" in data__datasets_item__select_keys:
                                            data__datasets_item__select_keys.remove("types")
                                            data__datasets_item__select__types = data__datasets_item__select["types"]
                                            if not isinstance(data__datasets_item__select__types, (list, tuple)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select.types".format(**locals()) + " must be array", value=data__datasets_item__select__types, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select.types".format(**locals()) + "", definition={'type': 'array', 'items': {'type': 'string'}}, rule='type')
                                            data__datasets_item__select__types_is_list = isinstance(data__datasets_item__select__types, (list, tuple))
                                            if data__datasets_item__select__types_is_list:
                                                data__datasets_item__select__types_len = len(data__datasets_item__select__types)
                                                for data__datasets_item__select__types_x, data__datasets_item__select__types_item in enumerate(data__datasets_item__select__types):
                                                    if not isinstance(data__datasets_item__select__types_item, (str)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select.types[{data__datasets_item__select__types_x}]".format(**locals()) + " must be string", value=data__datasets_item__select__types_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select.types[{data__datasets_item__select__types_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                                        if "collections" in data__datasets_item__select_keys:
                                            data__datasets_item__select_keys.remove("collections")
                                            data__datasets_item__select__collections = data__datasets_item__select["collections"]
                                            if not isinstance(data__datasets_item__select__collections, (list, tuple)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select.collections".format(**locals()) + " must be array", value=data__datasets_item__select__collections, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select.collections".format(**locals()) + "", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, rule='type')
                                            data__datasets_item__select__collections_is_list = isinstance(data__datasets_item__select__collections, (list, tuple))
                                            if data__datasets_item__select__collections_is_list:
                                                data__datasets_item__select__collections_len = len(data__datasets_item__select__collections)
                                                for data__datasets_item__select__collections_x, data__datasets_item__select__collections_item in enumerate(data__datasets_item__select__collections):
                                                    validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_id(data__datasets_item__select__collections_item, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].select.collections[{data__datasets_item__select__collections_x}]".format(**locals()))
                                        if data__datasets_item__select_keys:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select".format(**locals()) + " must not contain "+str(data__datasets_item__select_keys)+" properties", value=data__datasets_item__select, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].select".format(**locals()) + "", definition={'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, rule='additionalProperties')
                                if "if_exists" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("if_exists")
                                    data__datasets_item__ifexists = data__datasets_item["if_exists"]
                                    if not (isinstance(data__datasets_item__ifexists, str) and data__datasets_item__ifexists == 'resume' or isinstance(data__datasets_item__ifexists, str) and data__datasets_item__ifexists == 'skip' or isinstance(data__datasets_item__ifexists, str) and data__datasets_item__ifexists == 'overwrite'):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].if_exists".format(**locals()) + " must be one of ['resume', 'skip', 'overwrite']", value=data__datasets_item__ifexists, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].if_exists".format(**locals()) + "", definition={'enum': ['resume', 'skip', 'overwrite']}, rule='enum')
                                if "extract" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("extract")
                                    data__datasets_item__extract = data__datasets_item["extract"]
                                    if not isinstance(data__datasets_item__extract, (bool)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].extract".format(**locals()) + " must be boolean", value=data__datasets_item__extract, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].extract".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                                if "collections" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("collections")
                                    data__datasets_item__collections = data__datasets_item["collections"]
                                    if not isinstance(data__datasets_item__collections, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + " must be array", value=data__datasets_item__collections, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + "", definition={'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}, rule='type')
                                    data__datasets_item__collections_is_list = isinstance(data__datasets_item__collections, (list, tuple))
                                    if data__datasets_item__collections_is_list:
                                        data__datasets_item__collections_len = len(data__datasets_item__collections)
                                        for data__datasets_item__collections_x, data__datasets_item__collections_item in enumerate(data__datasets_item__collections):
                                            if not isinstance(data__datasets_item__collections_item, (dict)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()) + " must be object", value=data__datasets_item__collections_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}, rule='type')
                                            data__datasets_item__collections_item_is_dict = isinstance(data__datasets_item__collections_item, dict)
                                            if data__datasets_item__collections_item_is_dict:
                                                data__datasets_item__collections_item__missing_keys = set(['id', 'types', 'size']) - data__datasets_item__collections_item.keys()
                                                if data__datasets_item__collections_item__missing_keys:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__collections_item__missing_keys)) + " properties"), value=data__datasets_item__collections_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}, rule='required')
                                                data__datasets_item__collections_item_keys = set(data__datasets_item__collections_item.keys())
                                                if "id" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("id")
                                                    data__datasets_item__collections_item__id = data__datasets_item__collections_item["id"]
                                                    validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_id(data__datasets_item__collections_item__id, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].id".format(**locals()))
                                                if "types" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("types")
                                                    data__datasets_item__collections_item__types = data__datasets_item__collections_item["types"]
                                                    if not isinstance(data__datasets_item__collections_item__types, (list, tuple)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].types".format(**locals()) + " must be array", value=data__datasets_item__collections_item__types, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].types".format(**locals()) + "", definition={'type': 'array', 'items': {'type': 'string'}}, rule='type')
                                                    data__datasets_item__collections_item__types_is_list = isinstance(data__datasets_item__collections_item__types, (list, tuple))
                                                    if data__datasets_item__collections_item__types_is_list:
                                                        data__datasets_item__collections_item__types_len = len(data__datasets_item__collections_item__types)
                                                        for data__datasets_item__collections_item__types_x, data__datasets_item__collections_item__types_item in enumerate(data__datasets_item__collections_item__types):
                                                            if not isinstance(data__datasets_item__collections_item__types_item, (str)):
                                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].types[{data__datasets_item__collections_item__types_x}]".format(**locals()) + " must be string", value=data__datasets_item__collections_item__types_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].types[{data__datasets_item__collections_item__types_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                                                if "size" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("size")
                                                    data__datasets_item__collections_item__size = data__datasets_item__collections_item["size"]
                                                    if not isinstance(data__datasets_item__collections_item__size, (int)) and not (isinstance(data__datasets_item__collections_item__size, float) and data__datasets_item__collections_item__size.is_integer()) or isinstance(data__datasets_item__collections_item__size, bool):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].size".format(**locals()) + " must be integer", value=data__datasets_item__collections_item__size, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='type')
                                                    if isinstance(data__datasets_item__collections_item__size, (int, float, Decimal)) and not isinstance(data__datasets_item__collections_item__size, bool):
                                                        if data__datasets_item__collections_item__size < 0:
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].size".format(**locals()) + " must be bigger than or equal to 0", value=data__datasets_item__collections_item__size, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                                                if "etag" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("etag")
                                                    data__datasets_item__collections_item__etag = data__datasets_item__collections_item["etag"]
                                                    if not isinstance(data__datasets_item__collections_item__etag, (str)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].etag".format(**locals()) + " must be string", value=data__datasets_item__collections_item__etag, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].etag".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                                                if "last_modified" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("last_modified")
                                                    data__datasets_item__collections_item__lastmodified = data__datasets_item__collections_item["last_modified"]
                                                    if not isinstance(data__datasets_item__collections_item__lastmodified, (str)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].last_modified".format(**locals()) + " must be string", value=data__datasets_item__collections_item__lastmodified, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].last_modified".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                                                if "md5" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("md5")
                                                    data__datasets_item__collections_item__md5 = data__datasets_item__collections_item["md5"]
                                                    if not isinstance(data__datasets_item__collections_item__md5, (str)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].md5".format(**locals()) + " must be string", value=data__datasets_item__collections_item__md5, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].md5".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, rule='type')
                                                    if isinstance(data__datasets_item__collections_item__md5, str):
                                                        if not REGEX_PATTERNS['^[0-9a-f]{32}$'].search(data__datasets_item__collections_item__md5):
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].md5".format(**locals()) + " must match pattern ^[0-9a-f]{32}$", value=data__datasets_item__collections_item__md5, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].md5".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, rule='pattern')
                                                if "xxh3_128" in data__datasets_item__collections_item_keys:
                                                    data__datasets_item__collections_item_keys.remove("xxh3_128")
                                                    data__datasets_item__collections_item__xxh3128 = data__datasets_item__collections_item["xxh3_128"]
                                                    if not isinstance(data__datasets_item__collections_item__xxh3128, (str)):
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].xxh3_128".format(**locals()) + " must be string", value=data__datasets_item__collections_item__xxh3128, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].xxh3_128".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, rule='type')
                                                    if isinstance(data__datasets_item__collections_item__xxh3128, str):
                                                        if not REGEX_PATTERNS['^[0-9a-f]{32}$'].search(data__datasets_item__collections_item__xxh3128):
                                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].xxh3_128".format(**locals()) + " must match pattern ^[0-9a-f]{32}$", value=data__datasets_item__collections_item__xxh3128, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}].xxh3_128".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, rule='pattern')
                                                if data__datasets_item__collections_item_keys:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()) + " must not contain "+str(data__datasets_item__collections_item_keys)+" properties", value=data__datasets_item__collections_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}, rule='additionalProperties')
                                if data__datasets_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must not contain "+str(data__datasets_item_keys)+" properties", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, rule='additionalProperties')
                            data__datasets_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__datasets_item_one_of_count1 < 2:
                        try:
                            if not isinstance(data__datasets_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must be object", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}, rule='type')
                            data__datasets_item_is_dict = isinstance(data__datasets_item, dict)
                            if data__datasets_item_is_dict:
                                data__datasets_item__missing_keys = set(['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries']) - data__datasets_item.keys()
                                if data__datasets_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__missing_keys)) + " properties"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}, rule='required')
                                data__datasets_item_keys = set(data__datasets_item.keys())
                                if "id" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("id")
                                    data__datasets_item__id = data__datasets_item["id"]
                                    validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_id(data__datasets_item__id, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].id".format(**locals()))
                                if "title" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("title")
                                    data__datasets_item__title = data__datasets_item["title"]
                                    if not isinstance(data__datasets_item__title, (str, NoneType)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].title".format(**locals()) + " must be string or null", value=data__datasets_item__title, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].title".format(**locals()) + "", definition={'type': ['string', 'null']}, rule='type')
                                if "source" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("source")
                                    data__datasets_item__source = data__datasets_item["source"]
                                    validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_source(data__datasets_item__source, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].source".format(**locals()))
                                if "if_exists" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("if_exists")
                                    data__datasets_item__ifexists = data__datasets_item["if_exists"]
                                    if not (isinstance(data__datasets_item__ifexists, str) and data__datasets_item__ifexists == 'resume' or isinstance(data__datasets_item__ifexists, str) and data__datasets_item__ifexists == 'skip' or isinstance(data__datasets_item__ifexists, str) and data__datasets_item__ifexists == 'overwrite'):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].if_exists".format(**locals()) + " must be one of ['resume', 'skip', 'overwrite']", value=data__datasets_item__ifexists, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].if_exists".format(**locals()) + "", definition={'enum': ['resume', 'skip', 'overwrite']}, rule='enum')
                                if "files" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("files")
                                    data__datasets_item__files = data__datasets_item["files"]
                                    if not isinstance(data__datasets_item__files, (int)) and not (isinstance(data__datasets_item__files, float) and data__datasets_item__files.is_integer()) or isinstance(data__datasets_item__files, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].files".format(**locals()) + " must be integer", value=data__datasets_item__files, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].files".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='type')
                                    if isinstance(data__datasets_item__files, (int, float, Decimal)) and not isinstance(data__datasets_item__files, bool):
                                        if data__datasets_item__files < 0:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].files".format(**locals()) + " must be bigger than or equal to 0", value=data__datasets_item__files, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].files".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                                if "size" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("size")
                                    data__datasets_item__size = data__datasets_item["size"]
                                    if not isinstance(data__datasets_item__size, (int)) and not (isinstance(data__datasets_item__size, float) and data__datasets_item__size.is_integer()) or isinstance(data__datasets_item__size, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].size".format(**locals()) + " must be integer", value=data__datasets_item__size, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='type')
                                    if isinstance(data__datasets_item__size, (int, float, Decimal)) and not isinstance(data__datasets_item__size, bool):
                                        if data__datasets_item__size < 0:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].size".format(**locals()) + " must be bigger than or equal to 0", value=data__datasets_item__size, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                                if "listing" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("listing")
                                    data__datasets_item__listing = data__datasets_item["listing"]
                                    if not isinstance(data__datasets_item__listing, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].listing".format(**locals()) + " must be string", value=data__datasets_item__listing, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].listing".format(**locals()) + "", definition={'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, rule='type')
                                    if isinstance(data__datasets_item__listing, str):
                                        if not REGEX_PATTERNS['^xxh3_128:[0-9a-f]{32}$'].search(data__datasets_item__listing):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].listing".format(**locals()) + " must match pattern ^xxh3_128:[0-9a-f]{32}$", value=data__datasets_item__listing, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].listing".format(**locals()) + "", definition={'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, rule='pattern')
                                if "entries" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("entries")
                                    data__datasets_item__entries = data__datasets_item["entries"]
                                    if not isinstance(data__datasets_item__entries, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].entries".format(**locals()) + " must be string", value=data__datasets_item__entries, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].entries".format(**locals()) + "", definition={'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}, rule='type')
                                if data__datasets_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must not contain "+str(data__datasets_item_keys)+" properties", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}, rule='additionalProperties')
                            data__datasets_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__datasets_item_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must be valid exactly by one definition" + (" (" + str(data__datasets_item_one_of_count1) + " matches found)"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'oneOf': [{'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, {'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}]}, rule='oneOf')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'https://mlhub-sync.example.org/schemas/lock.schema.json', 'title': 'mlhub.lock — what `mlhub-sync lock` resolved; generated, committed, not edited', 'type': 'object', 'required': ['version', 'manifest_hash', 'datasets'], 'additionalProperties': False, 'properties': {'version': {'enum': [1, 2]}, 'manifest_hash': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'api_url': {'type': 'string', 'pattern': '^https?://'}, 'datasets': {'type': 'array', 'items': {'oneOf': [{'type': 'object', 'required': ['id', 'if_exists', 'extract', 'collections'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'select': {'type': 'object', 'additionalProperties': False, 'properties': {'types': {'type': 'array', 'items': {'type': 'string'}}, 'collections': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'collections': {'type': 'array', 'items': {'type': 'object', 'required': ['id', 'types', 'size'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'items': {'type': 'string'}}, 'size': {'type': 'integer', 'minimum': 0}, 'etag': {'type': 'string'}, 'last_modified': {'type': 'string'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}, 'xxh3_128': {'type': 'string', 'pattern': '^[0-9a-f]{32}$'}}}}}}, {'type': 'object', 'required': ['id', 'source', 'if_exists', 'files', 'size', 'listing', 'entries'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'title': {'type': ['string', 'null']}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'files': {'type': 'integer', 'minimum': 0}, 'size': {'type': 'integer', 'minimum': 0}, 'listing': {'type': 'string', 'pattern': '^xxh3_128:[0-9a-f]{32}$'}, 'entries': {'type': 'string', 'description': 'one line per file: SIZE, MARK, DIGESTS, PATH (tab-separated)'}}}]}}}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'source': {'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}}, 'allOf': [{'if': {'properties': {'version': {'const': 1}}}, 'then': {'required': ['api_url']}}]}, rule='additionalProperties')
    return data

def validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, rule='type')
            if isinstance(data__url, str):
                if not REGEX_PATTERNS['^(az|s3|stac\\+https?)://'].search(data__url):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must match pattern ^(az|s3|stac\\+https?)://", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, rule='pattern')
        if "endpoint" in data_keys:
            data_keys.remove("endpoint")
            data__endpoint = data["endpoint"]
            if not isinstance(data__endpoint, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoint must be string", value=data__endpoint, name="" + (name_prefix or "data") + ".endpoint", definition={'type': 'string', 'pattern': '^https?://'}, rule='type')
            if isinstance(data__endpoint, str):
                if not REGEX_PATTERNS['^https?://'].search(data__endpoint):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoint must match pattern ^https?://", value=data__endpoint, name="" + (name_prefix or "data") + ".endpoint", definition={'type': 'string', 'pattern': '^https?://'}, rule='pattern')
        if "include" in data_keys:
            data_keys.remove("include")
            data__include = data["include"]
            if not isinstance(data__include, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".include must be array", value=data__include, name="" + (name_prefix or "data") + ".include", definition={'type': 'array', 'items': {'type': 'string'}}, rule='type')
            data__include_is_list = isinstance(data__include, (list, tuple))
            if data__include_is_list:
                data__include_len = len(data__include)
                for data__include_x, data__include_item in enumerate(data__include):
                    if not isinstance(data__include_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".include[{data__include_x}]".format(**locals()) + " must be string", value=data__include_item, name="" + (name_prefix or "data") + ".include[{data__include_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
        if "exclude" in data_keys:
            data_keys.remove("exclude")
            data__exclude = data["exclude"]
            if not isinstance(data__exclude, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".exclude must be array", value=data__exclude, name="" + (name_prefix or "data") + ".exclude", definition={'type': 'array', 'items': {'type': 'string'}}, rule='type')
            data__exclude_is_list = isinstance(data__exclude, (list, tuple))
            if data__exclude_is_list:
                data__exclude_len = len(data__exclude)
                for data__exclude_x, data__exclude_item in enumerate(data__exclude):
                    if not isinstance(data__exclude_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".exclude[{data__exclude_x}]".format(**locals()) + " must be string", value=data__exclude_item, name="" + (name_prefix or "data") + ".exclude[{data__exclude_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
        if "files" in data_keys:
            data_keys.remove("files")
            data__files = data["files"]
            if not isinstance(data__files, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".files must be array", value=data__files, name="" + (name_prefix or "data") + ".files", definition={'type': 'array', 'items': {'type': 'object'}}, rule='type')
            data__files_is_list = isinstance(data__files, (list, tuple))
            if data__files_is_list:
                data__files_len = len(data__files)
                for data__files_x, data__files_item in enumerate(data__files):
                    if not isinstance(data__files_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + " must be object", value=data__files_item, name="" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + "", definition={'type': 'object'}, rule='type')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://'}, 'endpoint': {'type': 'string', 'pattern': '^https?://'}, 'include': {'type': 'array', 'items': {'type': 'string'}}, 'exclude': {'type': 'array', 'items': {'type': 'string'}}, 'files': {'type': 'array', 'items': {'type': 'object'}}}}, rule='additionalProperties')
    return data

def validate_https___mlhub_sync_example_org_schemas_lock_schema_json___defs_id(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, rule='type')
    try:
        if isinstance(data, str):
            if not REGEX_PATTERNS['\\.\\.'].search(data):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern \\.\\.", value=data, name="" + (name_prefix or "data") + "", definition={'pattern': '\\.\\.'}, rule='pattern')
    except (JsonSchemaValueException, JsonSchemaValuesException): pass
    else:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, rule='not')
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, rule='pattern')
    return data


validate = validate_https___mlhub_sync_example_org_schemas_lock_schema_json
