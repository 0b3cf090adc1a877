from tolpa.accounts.selectors import organization_list_for_user


def active_organization(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "active_organization": request.active_organization or None,
        "my_organizations": organization_list_for_user(user=request.user),
    }
