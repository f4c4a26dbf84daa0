"""The newsroom's roles as Django groups, and what each may do. Data migrations call grant()."""

REVIEWERS = "Reviewers"
EDITORS = "Editors"


def grant(apps, schema_editor, roles: dict[str, list[str]]) -> None:
    """Give each group ("Reviewers") its permissions ("app_label.codename"), creating what is missing."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; make them now so they can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def crud(app_label: str, model: str, actions=("view", "add", "change", "delete")) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]
