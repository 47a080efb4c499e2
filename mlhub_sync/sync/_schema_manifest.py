# Generated from schemas/manifest.schema.json by `python -m mlhub_sync.sync.schema`; do not edit.
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
    '^https?://[^\\s/]+': re.compile('^https?://[^\\s/]+'),
    '^[0-9a-fA-F]{32}$': re.compile('^[0-9a-fA-F]{32}\\Z'),
    '^[0-9a-fA-F]{64}$': re.compile('^[0-9a-fA-F]{64}\\Z'),
    '^(az|s3|stac\\+https?)://[^\\s]+$': re.compile('^(az|s3|stac\\+https?)://[^\\s]+\\Z'),
    '\\.\\.': re.compile('\\.\\.'),
    '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$': re.compile('^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\\Z')
}

NoneType = type(None)

def validate_https___mlhub_sync_example_org_schemas_manifest_schema_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'https://mlhub-sync.example.org/schemas/manifest.schema.json', 'title': 'mlhub.yaml — the datasets a project needs', 'type': 'object', 'required': ['version', 'datasets'], 'additionalProperties': False, 'properties': {'version': {'const': 1, 'description': 'Manifest format version.'}, 'api_url': {'type': 'string', 'pattern': '^https?://[^\\s/]+', 'description': 'MLHub API root, e.g. http://127.0.0.1:8000/mlhub/v1/'}, 'profile': {'type': 'string', 'minLength': 1, 'description': 'Profile in ~/.mlhub/profiles holding the API key (keys never go in files).'}, 'target': {'type': 'string', 'minLength': 1, 'description': 'Folder for the data, relative to this file (default: data).'}, 'defaults': {'type': 'object', 'additionalProperties': False, 'properties': {'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}}}, 'datasets': {'type': 'array', 'items': {'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, {'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}]}}}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'globs': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'source': {'oneOf': [{'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['version', 'datasets']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'https://mlhub-sync.example.org/schemas/manifest.schema.json', 'title': 'mlhub.yaml — the datasets a project needs', 'type': 'object', 'required': ['version', 'datasets'], 'additionalProperties': False, 'properties': {'version': {'const': 1, 'description': 'Manifest format version.'}, 'api_url': {'type': 'string', 'pattern': '^https?://[^\\s/]+', 'description': 'MLHub API root, e.g. http://127.0.0.1:8000/mlhub/v1/'}, 'profile': {'type': 'string', 'minLength': 1, 'description': 'Profile in ~/.mlhub/profiles holding the API key (keys never go in files).'}, 'target': {'type': 'string', 'minLength': 1, 'description': 'Folder for the data, relative to this file (default: data).'}, 'defaults': {'type': 'object', 'additionalProperties': False, 'properties': {'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}}}, 'datasets': {'type': 'array', 'items': {'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, {'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}]}}}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'globs': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'source': {'oneOf': [{'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}}, rule='required')
        data_keys = set(data.keys())
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not (isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 1):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be same as const definition: 1", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'const': 1, 'description': 'Manifest format version.'}, rule='const')
        if "api_url" in data_keys:
            data_keys.remove("api_url")
            data__apiurl = data["api_url"]
            if not isinstance(data__apiurl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".api_url must be string", value=data__apiurl, name="" + (name_prefix or "data") + ".api_url", definition={'type': 'string', 'pattern': '^https?://[^\\s/]+', 'description': 'MLHub API root, e.g. http://127.0.0.1:8000/mlhub/v1/'}, rule='type')
            if isinstance(data__apiurl, str):
                if not REGEX_PATTERNS['^https?://[^\\s/]+'].search(data__apiurl):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".api_url must match pattern ^https?://[^\\s/]+", value=data__apiurl, name="" + (name_prefix or "data") + ".api_url", definition={'type': 'string', 'pattern': '^https?://[^\\s/]+', 'description': 'MLHub API root, e.g. http://127.0.0.1:8000/mlhub/v1/'}, rule='pattern')
        if "profile" in data_keys:
            data_keys.remove("profile")
            data__profile = data["profile"]
            if not isinstance(data__profile, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".profile must be string", value=data__profile, name="" + (name_prefix or "data") + ".profile", definition={'type': 'string', 'minLength': 1, 'description': 'Profile in ~/.mlhub/profiles holding the API key (keys never go in files).'}, rule='type')
            if isinstance(data__profile, str):
                data__profile_len = len(data__profile)
                if data__profile_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".profile must be longer than or equal to 1 characters", value=data__profile, name="" + (name_prefix or "data") + ".profile", definition={'type': 'string', 'minLength': 1, 'description': 'Profile in ~/.mlhub/profiles holding the API key (keys never go in files).'}, rule='minLength')
        if "target" in data_keys:
            data_keys.remove("target")
            data__target = data["target"]
            if not isinstance(data__target, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must be string", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'type': 'string', 'minLength': 1, 'description': 'Folder for the data, relative to this file (default: data).'}, rule='type')
            if isinstance(data__target, str):
                data__target_len = len(data__target)
                if data__target_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must be longer than or equal to 1 characters", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'type': 'string', 'minLength': 1, 'description': 'Folder for the data, relative to this file (default: data).'}, rule='minLength')
        if "defaults" in data_keys:
            data_keys.remove("defaults")
            data__defaults = data["defaults"]
            if not isinstance(data__defaults, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".defaults must be object", value=data__defaults, name="" + (name_prefix or "data") + ".defaults", definition={'type': 'object', 'additionalProperties': False, 'properties': {'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}}}, rule='type')
            data__defaults_is_dict = isinstance(data__defaults, dict)
            if data__defaults_is_dict:
                data__defaults_keys = set(data__defaults.keys())
                if "if_exists" in data__defaults_keys:
                    data__defaults_keys.remove("if_exists")
                    data__defaults__ifexists = data__defaults["if_exists"]
                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_if_exists(data__defaults__ifexists, custom_formats, (name_prefix or "data") + ".defaults.if_exists")
                if "extract" in data__defaults_keys:
                    data__defaults_keys.remove("extract")
                    data__defaults__extract = data__defaults["extract"]
                    if not isinstance(data__defaults__extract, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".defaults.extract must be boolean", value=data__defaults__extract, name="" + (name_prefix or "data") + ".defaults.extract", definition={'type': 'boolean'}, rule='type')
                if data__defaults_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".defaults must not contain "+str(data__defaults_keys)+" properties", value=data__defaults, name="" + (name_prefix or "data") + ".defaults", definition={'type': 'object', 'additionalProperties': False, 'properties': {'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}}}, rule='additionalProperties')
        if "datasets" in data_keys:
            data_keys.remove("datasets")
            data__datasets = data["datasets"]
            if not isinstance(data__datasets, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets must be array", value=data__datasets, name="" + (name_prefix or "data") + ".datasets", definition={'type': 'array', 'items': {'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, {'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}]}}, rule='type')
            data__datasets_is_list = isinstance(data__datasets, (list, tuple))
            if data__datasets_is_list:
                data__datasets_len = len(data__datasets)
                for data__datasets_x, data__datasets_item in enumerate(data__datasets):
                    data__datasets_item_one_of_count1 = 0
                    if data__datasets_item_one_of_count1 < 2:
                        try:
                            validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_id(data__datasets_item, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()))
                            data__datasets_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__datasets_item_one_of_count1 < 2:
                        try:
                            if not isinstance(data__datasets_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must be object", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}, rule='type')
                            try:
                                data__datasets_item_is_dict = isinstance(data__datasets_item, dict)
                                if data__datasets_item_is_dict:
                                    data__datasets_item__missing_keys = set(['types', 'collections']) - data__datasets_item.keys()
                                    if data__datasets_item__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__missing_keys)) + " properties"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'required': ['types', 'collections']}, rule='required')
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            else:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must NOT match a disallowed definition", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'not': {'required': ['types', 'collections']}}, rule='not')
                            try:
                                data__datasets_item_is_dict = isinstance(data__datasets_item, dict)
                                if data__datasets_item_is_dict:
                                    data__datasets_item__missing_keys = set(['source', 'types']) - data__datasets_item.keys()
                                    if data__datasets_item__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__missing_keys)) + " properties"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'required': ['source', 'types']}, rule='required')
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            else:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must NOT match a disallowed definition", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'not': {'required': ['source', 'types']}}, rule='not')
                            try:
                                data__datasets_item_is_dict = isinstance(data__datasets_item, dict)
                                if data__datasets_item_is_dict:
                                    data__datasets_item__missing_keys = set(['source', 'collections']) - data__datasets_item.keys()
                                    if data__datasets_item__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__missing_keys)) + " properties"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'required': ['source', 'collections']}, rule='required')
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            else:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must NOT match a disallowed definition", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'not': {'required': ['source', 'collections']}}, rule='not')
                            data__datasets_item_is_dict = isinstance(data__datasets_item, dict)
                            if data__datasets_item_is_dict:
                                data__datasets_item__missing_keys = set(['id']) - data__datasets_item.keys()
                                if data__datasets_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must contain " + (str(sorted(data__datasets_item__missing_keys)) + " properties"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}, rule='required')
                                data__datasets_item_keys = set(data__datasets_item.keys())
                                if "id" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("id")
                                    data__datasets_item__id = data__datasets_item["id"]
                                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_id(data__datasets_item__id, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].id".format(**locals()))
                                if "types" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("types")
                                    data__datasets_item__types = data__datasets_item["types"]
                                    if not isinstance(data__datasets_item__types, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types".format(**locals()) + " must be array", value=data__datasets_item__types, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, rule='type')
                                    data__datasets_item__types_is_list = isinstance(data__datasets_item__types, (list, tuple))
                                    if data__datasets_item__types_is_list:
                                        data__datasets_item__types_len = len(data__datasets_item__types)
                                        if data__datasets_item__types_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types".format(**locals()) + " must contain at least 1 items", value=data__datasets_item__types, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, rule='minItems')
                                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                        if data__datasets_item__types_len > len(set(fn(data__datasets_item__types_x) for data__datasets_item__types_x in data__datasets_item__types)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types".format(**locals()) + " must contain unique items", value=data__datasets_item__types, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, rule='uniqueItems')
                                        for data__datasets_item__types_x, data__datasets_item__types_item in enumerate(data__datasets_item__types):
                                            if not (isinstance(data__datasets_item__types_item, str) and data__datasets_item__types_item == 'source_imagery' or isinstance(data__datasets_item__types_item, str) and data__datasets_item__types_item == 'labels'):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types[{data__datasets_item__types_x}]".format(**locals()) + " must be one of ['source_imagery', 'labels']", value=data__datasets_item__types_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].types[{data__datasets_item__types_x}]".format(**locals()) + "", definition={'enum': ['source_imagery', 'labels']}, rule='enum')
                                if "collections" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("collections")
                                    data__datasets_item__collections = data__datasets_item["collections"]
                                    if not isinstance(data__datasets_item__collections, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + " must be array", value=data__datasets_item__collections, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, rule='type')
                                    data__datasets_item__collections_is_list = isinstance(data__datasets_item__collections, (list, tuple))
                                    if data__datasets_item__collections_is_list:
                                        data__datasets_item__collections_len = len(data__datasets_item__collections)
                                        if data__datasets_item__collections_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + " must contain at least 1 items", value=data__datasets_item__collections, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, rule='minItems')
                                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                                        if data__datasets_item__collections_len > len(set(fn(data__datasets_item__collections_x) for data__datasets_item__collections_x in data__datasets_item__collections)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + " must contain unique items", value=data__datasets_item__collections, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].collections".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, rule='uniqueItems')
                                        for data__datasets_item__collections_x, data__datasets_item__collections_item in enumerate(data__datasets_item__collections):
                                            validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_id(data__datasets_item__collections_item, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].collections[{data__datasets_item__collections_x}]".format(**locals()))
                                if "if_exists" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("if_exists")
                                    data__datasets_item__ifexists = data__datasets_item["if_exists"]
                                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_if_exists(data__datasets_item__ifexists, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].if_exists".format(**locals()))
                                if "extract" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("extract")
                                    data__datasets_item__extract = data__datasets_item["extract"]
                                    if not isinstance(data__datasets_item__extract, (bool)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}].extract".format(**locals()) + " must be boolean", value=data__datasets_item__extract, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}].extract".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                                if "source" in data__datasets_item_keys:
                                    data__datasets_item_keys.remove("source")
                                    data__datasets_item__source = data__datasets_item["source"]
                                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_source(data__datasets_item__source, custom_formats, (name_prefix or "data") + ".datasets[{data__datasets_x}].source".format(**locals()))
                                if data__datasets_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must not contain "+str(data__datasets_item_keys)+" properties", value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}, rule='additionalProperties')
                            data__datasets_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__datasets_item_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + " must be valid exactly by one definition" + (" (" + str(data__datasets_item_one_of_count1) + " matches found)"), value=data__datasets_item, name="" + (name_prefix or "data") + ".datasets[{data__datasets_x}]".format(**locals()) + "", definition={'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, {'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}]}, rule='oneOf')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'https://mlhub-sync.example.org/schemas/manifest.schema.json', 'title': 'mlhub.yaml — the datasets a project needs', 'type': 'object', 'required': ['version', 'datasets'], 'additionalProperties': False, 'properties': {'version': {'const': 1, 'description': 'Manifest format version.'}, 'api_url': {'type': 'string', 'pattern': '^https?://[^\\s/]+', 'description': 'MLHub API root, e.g. http://127.0.0.1:8000/mlhub/v1/'}, 'profile': {'type': 'string', 'minLength': 1, 'description': 'Profile in ~/.mlhub/profiles holding the API key (keys never go in files).'}, 'target': {'type': 'string', 'minLength': 1, 'description': 'Folder for the data, relative to this file (default: data).'}, 'defaults': {'type': 'object', 'additionalProperties': False, 'properties': {'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}}}, 'datasets': {'type': 'array', 'items': {'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, {'type': 'object', 'required': ['id'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'types': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'enum': ['source_imagery', 'labels']}}, 'collections': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'extract': {'type': 'boolean'}, 'source': {'oneOf': [{'$ref': '#/$defs/url'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'$ref': '#/$defs/url'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'$ref': '#/$defs/globs'}, 'exclude': {'$ref': '#/$defs/globs'}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}, 'allOf': [{'not': {'required': ['types', 'collections']}}, {'not': {'required': ['source', 'types']}}, {'not': {'required': ['source', 'collections']}}]}]}}}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$', 'not': {'pattern': '\\.\\.'}}, 'if_exists': {'enum': ['resume', 'skip', 'overwrite']}, 'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'globs': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'source': {'oneOf': [{'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}}}, rule='additionalProperties')
    return data

def validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_source(data, custom_formats={}, name_prefix=None):
    data_one_of_count2 = 0
    if data_one_of_count2 < 2:
        try:
            validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_url(data, custom_formats, (name_prefix or "data") + "")
            data_one_of_count2 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count2 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, rule='type')
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['url']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, rule='required')
                data_keys = set(data.keys())
                if "url" in data_keys:
                    data_keys.remove("url")
                    data__url = data["url"]
                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_url(data__url, custom_formats, (name_prefix or "data") + ".url")
                if "endpoint" in data_keys:
                    data_keys.remove("endpoint")
                    data__endpoint = data["endpoint"]
                    if not isinstance(data__endpoint, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoint must be string", value=data__endpoint, name="" + (name_prefix or "data") + ".endpoint", definition={'type': 'string', 'pattern': '^https?://[^\\s/]+'}, rule='type')
                    if isinstance(data__endpoint, str):
                        if not REGEX_PATTERNS['^https?://[^\\s/]+'].search(data__endpoint):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoint must match pattern ^https?://[^\\s/]+", value=data__endpoint, name="" + (name_prefix or "data") + ".endpoint", definition={'type': 'string', 'pattern': '^https?://[^\\s/]+'}, rule='pattern')
                if "include" in data_keys:
                    data_keys.remove("include")
                    data__include = data["include"]
                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_globs(data__include, custom_formats, (name_prefix or "data") + ".include")
                if "exclude" in data_keys:
                    data_keys.remove("exclude")
                    data__exclude = data["exclude"]
                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_globs(data__exclude, custom_formats, (name_prefix or "data") + ".exclude")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, rule='additionalProperties')
            data_one_of_count2 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count2 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, rule='type')
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['include']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, rule='required')
                data_keys = set(data.keys())
                if "include" in data_keys:
                    data_keys.remove("include")
                    data__include = data["include"]
                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_globs(data__include, custom_formats, (name_prefix or "data") + ".include")
                if "exclude" in data_keys:
                    data_keys.remove("exclude")
                    data__exclude = data["exclude"]
                    validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_globs(data__exclude, custom_formats, (name_prefix or "data") + ".exclude")
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, rule='additionalProperties')
            data_one_of_count2 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count2 < 2:
        try:
            if not isinstance(data, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}, rule='type')
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['files']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}, rule='required')
                data_keys = set(data.keys())
                if "files" in data_keys:
                    data_keys.remove("files")
                    data__files = data["files"]
                    if not isinstance(data__files, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files must be array", value=data__files, name="" + (name_prefix or "data") + ".files", definition={'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}, rule='type')
                    data__files_is_list = isinstance(data__files, (list, tuple))
                    if data__files_is_list:
                        data__files_len = len(data__files)
                        if data__files_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".files must contain at least 1 items", value=data__files, name="" + (name_prefix or "data") + ".files", definition={'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}, rule='minItems')
                        for data__files_x, data__files_item in enumerate(data__files):
                            if not isinstance(data__files_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + " must be object", value=data__files_item, name="" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}, rule='type')
                            data__files_item_is_dict = isinstance(data__files_item, dict)
                            if data__files_item_is_dict:
                                data__files_item__missing_keys = set(['url']) - data__files_item.keys()
                                if data__files_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + " must contain " + (str(sorted(data__files_item__missing_keys)) + " properties"), value=data__files_item, name="" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}, rule='required')
                                data__files_item_keys = set(data__files_item.keys())
                                if "url" in data__files_item_keys:
                                    data__files_item_keys.remove("url")
                                    data__files_item__url = data__files_item["url"]
                                    if not isinstance(data__files_item__url, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].url".format(**locals()) + " must be string", value=data__files_item__url, name="" + (name_prefix or "data") + ".files[{data__files_x}].url".format(**locals()) + "", definition={'type': 'string', 'pattern': '^https?://[^\\s/]+'}, rule='type')
                                    if isinstance(data__files_item__url, str):
                                        if not REGEX_PATTERNS['^https?://[^\\s/]+'].search(data__files_item__url):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].url".format(**locals()) + " must match pattern ^https?://[^\\s/]+", value=data__files_item__url, name="" + (name_prefix or "data") + ".files[{data__files_x}].url".format(**locals()) + "", definition={'type': 'string', 'pattern': '^https?://[^\\s/]+'}, rule='pattern')
                                if "md5" in data__files_item_keys:
                                    data__files_item_keys.remove("md5")
                                    data__files_item__md5 = data__files_item["md5"]
                                    if not isinstance(data__files_item__md5, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].md5".format(**locals()) + " must be string", value=data__files_item__md5, name="" + (name_prefix or "data") + ".files[{data__files_x}].md5".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, rule='type')
                                    if isinstance(data__files_item__md5, str):
                                        if not REGEX_PATTERNS['^[0-9a-fA-F]{32}$'].search(data__files_item__md5):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].md5".format(**locals()) + " must match pattern ^[0-9a-fA-F]{32}$", value=data__files_item__md5, name="" + (name_prefix or "data") + ".files[{data__files_x}].md5".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, rule='pattern')
                                if "sha256" in data__files_item_keys:
                                    data__files_item_keys.remove("sha256")
                                    data__files_item__sha256 = data__files_item["sha256"]
                                    if not isinstance(data__files_item__sha256, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].sha256".format(**locals()) + " must be string", value=data__files_item__sha256, name="" + (name_prefix or "data") + ".files[{data__files_x}].sha256".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, rule='type')
                                    if isinstance(data__files_item__sha256, str):
                                        if not REGEX_PATTERNS['^[0-9a-fA-F]{64}$'].search(data__files_item__sha256):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].sha256".format(**locals()) + " must match pattern ^[0-9a-fA-F]{64}$", value=data__files_item__sha256, name="" + (name_prefix or "data") + ".files[{data__files_x}].sha256".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, rule='pattern')
                                if "size" in data__files_item_keys:
                                    data__files_item_keys.remove("size")
                                    data__files_item__size = data__files_item["size"]
                                    if not isinstance(data__files_item__size, (int)) and not (isinstance(data__files_item__size, float) and data__files_item__size.is_integer()) or isinstance(data__files_item__size, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].size".format(**locals()) + " must be integer", value=data__files_item__size, name="" + (name_prefix or "data") + ".files[{data__files_x}].size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='type')
                                    if isinstance(data__files_item__size, (int, float, Decimal)) and not isinstance(data__files_item__size, bool):
                                        if data__files_item__size < 0:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].size".format(**locals()) + " must be bigger than or equal to 0", value=data__files_item__size, name="" + (name_prefix or "data") + ".files[{data__files_x}].size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                                if "path" in data__files_item_keys:
                                    data__files_item_keys.remove("path")
                                    data__files_item__path = data__files_item["path"]
                                    if not isinstance(data__files_item__path, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].path".format(**locals()) + " must be string", value=data__files_item__path, name="" + (name_prefix or "data") + ".files[{data__files_x}].path".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__files_item__path, str):
                                        data__files_item__path_len = len(data__files_item__path)
                                        if data__files_item__path_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}].path".format(**locals()) + " must be longer than or equal to 1 characters", value=data__files_item__path, name="" + (name_prefix or "data") + ".files[{data__files_x}].path".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                if data__files_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + " must not contain "+str(data__files_item_keys)+" properties", value=data__files_item, name="" + (name_prefix or "data") + ".files[{data__files_x}]".format(**locals()) + "", definition={'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}, rule='additionalProperties')
                if data_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}, rule='additionalProperties')
            data_one_of_count2 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count2 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition" + (" (" + str(data_one_of_count2) + " matches found)"), value=data, name="" + (name_prefix or "data") + "", definition={'oneOf': [{'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, 'endpoint': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['include'], 'additionalProperties': False, 'description': "The catalogue's location for this id, filtered.", 'properties': {'include': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, 'exclude': {'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}}}, {'type': 'object', 'required': ['files'], 'additionalProperties': False, 'properties': {'files': {'type': 'array', 'minItems': 1, 'items': {'type': 'object', 'required': ['url'], 'additionalProperties': False, 'properties': {'url': {'type': 'string', 'pattern': '^https?://[^\\s/]+'}, 'md5': {'type': 'string', 'pattern': '^[0-9a-fA-F]{32}$'}, 'sha256': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64}$'}, 'size': {'type': 'integer', 'minimum': 0}, 'path': {'type': 'string', 'minLength': 1}}}}}}]}, rule='oneOf')
    return data

def validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_globs(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, rule='type')
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'array', 'minItems': 1, 'items': {'type': 'string', 'minLength': 1}}, rule='minItems')
        for data_x, data_item in enumerate(data):
            if not isinstance(data_item, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be string", value=data_item, name="" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data_item, str):
                data_item_len = len(data_item)
                if data_item_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data_item, name="" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
    return data

def validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_url(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, rule='type')
    if isinstance(data, str):
        if not REGEX_PATTERNS['^(az|s3|stac\\+https?)://[^\\s]+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^(az|s3|stac\\+https?)://[^\\s]+$", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^(az|s3|stac\\+https?)://[^\\s]+$'}, rule='pattern')
    return data

def validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_id(data, custom_formats={}, name_prefix=None):
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

def validate_https___mlhub_sync_example_org_schemas_manifest_schema_json___defs_if_exists(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'resume' or isinstance(data, str) and data == 'skip' or isinstance(data, str) and data == 'overwrite'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['resume', 'skip', 'overwrite']", value=data, name="" + (name_prefix or "data") + "", definition={'enum': ['resume', 'skip', 'overwrite']}, rule='enum')
    return data


validate = validate_https___mlhub_sync_example_org_schemas_manifest_schema_json
