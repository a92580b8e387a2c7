from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "Sahel Claims"
admin.site.site_title = "Sahel Claims"
admin.site.index_title = "Curation"

handler500 = "claims.api.exceptions.server_error"  # JSON under /api/, never a traceback

urlpatterns = [
    # The schema and its docs come before the API's catch-all JSON 404; Swagger UI's assets are
    # served from this site (drf-spectacular-sidecar), never from a CDN. The split view serves its
    # start-up script as a file (/api/docs/?script=), which the Content-Security-Policy allows.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Sign in and out of the browsable API (its "Log in" link); before the API's catch-all 404.
    path("api/auth/", include("rest_framework.urls")),
    path("api/", include("claims.api.urls")),
    # After the API: a path is tried against each entry in turn, and the admin's include, tried first,
    # failed every API request with an exception (Resolver404). The two match disjoint paths.
    path("admin/", admin.site.urls),
    # The public site: the published record as pages; its 400/403/404/500 pages are its templates.
    path("", include("claims.site.urls")),
]
