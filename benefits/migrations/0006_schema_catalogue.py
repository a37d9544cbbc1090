"""The catalogue schema: publications carry a schema version (old ones are version 1, read
through `rules.upgrade`); documents keep the name of their text file; facts remember the programme file that defines them; loads are recorded."""

import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0005_field_verbose_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogueLoad',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('loaded_at', models.DateTimeField(auto_now_add=True, verbose_name='loaded at')),
                ('source', models.CharField(max_length=500, verbose_name='loaded from')),
                ('fingerprint', models.CharField(max_length=64, verbose_name='fingerprint of the draft')),
            ],
            options={
                'verbose_name': 'catalogue load',
                'verbose_name_plural': 'catalogue loads',
                'ordering': ['-id'],
            },
        ),
        migrations.AddField(
            model_name='document',
            name='text_file',
            field=models.CharField(blank=True, max_length=120, verbose_name='text file'),
        ),
        migrations.AddField(
            model_name='fact',
            name='programme',
            field=models.ForeignKey(blank=True, help_text='Empty for the shared facts; else the programme file that defines it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='facts', to='benefits.programme', verbose_name='defined with programme'),
        ),
        migrations.AddField(
            model_name='historicaldocument',
            name='text_file',
            field=models.CharField(blank=True, max_length=120, verbose_name='text file'),
        ),
        migrations.AddField(
            model_name='historicalfact',
            name='programme',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Empty for the shared facts; else the programme file that defines it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='benefits.programme', verbose_name='defined with programme'),
        ),
        migrations.AddField(
            model_name='publication',
            name='schema_version',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='schema version'),
            preserve_default=False,
        ),
        migrations.RenameField(model_name='publication', old_name='rows', new_name='catalogue'),
        migrations.AlterField(
            model_name='publication',
            name='catalogue',
            field=models.JSONField(verbose_name='catalogue'),
        ),
    ]
