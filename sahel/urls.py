from django.contrib import admin
from django.urls import path

admin.site.site_header = "Sahel Claims"
admin.site.site_title = "Sahel Claims"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
]
